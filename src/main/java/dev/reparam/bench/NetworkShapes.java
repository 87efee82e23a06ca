package dev.reparam.bench;

import dev.reparam.nn.Layer;
import dev.reparam.nn.ParamSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The per-sample shapes of a network's stages, found by walking its layers the way
 * {@code Model} does, so the benchmarks run at the shapes the network really has: change the
 * network and the benchmark follows.
 */
final class NetworkShapes {
    /** One layer with its input and output shape (batch excluded) and its parameters' shapes. */
    record Stage(Layer layer, int[] in, int[] out, List<ParamSpec> params) {
        int outSize() {
            return Arrays.stream(out).reduce(1, (a, b) -> a * b);
        }

        long paramCount() {
            return params.stream().mapToLong(ParamSpec::size).sum();
        }
    }

    private final List<Stage> stages = new ArrayList<>();

    NetworkShapes(List<Layer> layers, int[] inputShape) {
        int[] shape = inputShape.clone();
        for (Layer layer : layers) {
            int[] out = layer.outputShape(shape);
            stages.add(new Stage(layer, shape, out, layer.parameters(shape)));
            shape = out;
        }
    }

    /** The first stage whose layer is of {@code type}; fails naming the type when there is none. */
    Stage first(Class<? extends Layer> type) {
        return stages.stream().filter(s -> type.isInstance(s.layer())).findFirst()
                .orElseThrow(() -> new IllegalStateException("the network has no " + type.getSimpleName() + " layer"));
    }

    /** The stages whose layer is of {@code type}, in network order. */
    List<Stage> stages(Class<? extends Layer> type) {
        return stages.stream().filter(s -> type.isInstance(s.layer())).toList();
    }

    /** The stage of {@code type} that maximises {@code cost}, the first of equals. */
    Stage largest(Class<? extends Layer> type, ToLongFunction<Stage> cost) {
        Stage best = null;
        for (Stage s : stages) {
            if (type.isInstance(s.layer()) && (best == null || cost.applyAsLong(s) > cost.applyAsLong(best))) best = s;
        }
        if (best == null) throw new IllegalStateException("the network has no " + type.getSimpleName() + " layer");
        return best;
    }

    /** The largest activation (stage output) per sample, in elements. */
    int largestActivation() {
        return stages.stream().mapToInt(Stage::outSize).max().orElse(0);
    }

    long parameterCount() {
        return stages.stream().mapToLong(Stage::paramCount).sum();
    }
}
