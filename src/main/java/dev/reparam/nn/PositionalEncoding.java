package dev.reparam.nn;

import dev.reparam.autodiff.Tape;
import dev.reparam.autodiff.Var;

/** NeRF-style encoding of [D] inputs to [D(1 + 2F)]: per feature [x, sin(2^f pi x), cos(2^f pi x) for f < F]. */
public final class PositionalEncoding implements Layer {
    private final int frequencies;

    public PositionalEncoding(int frequencies) {
        if (frequencies < 0) throw new IllegalArgumentException("PositionalEncoding: frequencies " + frequencies);
        this.frequencies = frequencies;
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        ShapeChecks.requireRank("PositionalEncoding", inputShape, 1);
        return new int[] {inputShape[0] * (1 + 2 * frequencies)};
    }

    @Override
    public Var forward(Tape tape, Var x, LayerParams p, boolean training) {
        return Ops.positionalEncoding(tape, x, frequencies);
    }
}
