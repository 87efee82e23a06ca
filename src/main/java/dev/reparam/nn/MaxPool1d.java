package dev.reparam.nn;

import dev.reparam.autodiff.Tape;
import dev.reparam.autodiff.Var;

/** Max pooling of [C, L] inputs over non-overlapping windows (floor). */
public final class MaxPool1d implements Layer {
    private final int kernel;

    public MaxPool1d(int kernel) {
        if (kernel < 1) throw new IllegalArgumentException("MaxPool1d: kernel " + kernel);
        this.kernel = kernel;
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        ShapeChecks.requireRank("MaxPool1d", inputShape, 2);
        ShapeChecks.require(inputShape[1] >= kernel, "MaxPool1d", inputShape, "is shorter than window " + kernel);
        return new int[] {inputShape[0], inputShape[1] / kernel};
    }

    @Override
    public Var forward(Tape tape, Var x, LayerParams p, boolean training) {
        return Ops.maxPool1d(tape, x, kernel);
    }
}
