package dev.reparam.nn;

import dev.reparam.tensor.Backend;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Builder for a {@link Model}: {@code new Sequential().add(new Conv1d(16, 5)).add(new Relu()).build(...)}. */
public final class Sequential {
    private final List<Layer> layers = new ArrayList<>();

    public static Sequential of(Layer... layers) {
        Sequential s = new Sequential();
        for (Layer l : layers) s.add(l);
        return s;
    }

    public Sequential add(Layer layer) {
        layers.add(Objects.requireNonNull(layer, "layer"));
        return this;
    }

    public List<Layer> layers() {
        return List.copyOf(layers);
    }

    /** A model for inputs of {@code inputShape} (without the batch dimension), initialised from {@code seed}. */
    public Model build(Backend backend, long seed, int... inputShape) {
        return new Model(backend, layers, inputShape, seed);
    }
}
