package dev.reparam.nn;

import dev.reparam.autodiff.Tape;
import dev.reparam.autodiff.Var;

import java.util.List;

/** Fully connected layer on [In] inputs: y = x W^T + b. */
public final class Linear implements Layer {
    private final int outFeatures;

    public Linear(int outFeatures) {
        if (outFeatures < 1) throw new IllegalArgumentException("Linear: outFeatures " + outFeatures);
        this.outFeatures = outFeatures;
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        ShapeChecks.requireRank("Linear", inputShape, 1);
        return new int[] {outFeatures};
    }

    @Override
    public List<ParamSpec> parameters(int[] inputShape) {
        ShapeChecks.requireRank("Linear", inputShape, 1);
        int in = inputShape[0];
        return List.of(ParamSpec.uniform("weight", in, outFeatures, in), ParamSpec.uniform("bias", in, outFeatures));
    }

    @Override
    public Var forward(Tape tape, Var x, LayerParams p, boolean training) {
        return Ops.linear(tape, x, p.param(0), p.param(1));
    }
}
