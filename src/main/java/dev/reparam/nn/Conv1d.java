package dev.reparam.nn;

import dev.reparam.autodiff.Tape;
import dev.reparam.autodiff.Var;

import java.util.List;

/** 1-d convolution on [Cin, L] inputs, stride 1, zero padding ('same' by default). */
public final class Conv1d implements Layer {
    private final int outChannels, kernel, padding;

    /** 'same' padding (kernel - 1) / 2, exact for odd kernels. */
    public Conv1d(int outChannels, int kernel) {
        this(outChannels, kernel, (kernel - 1) / 2);
    }

    public Conv1d(int outChannels, int kernel, int padding) {
        if (outChannels < 1 || kernel < 1 || padding < 0) {
            throw new IllegalArgumentException("Conv1d: outChannels " + outChannels + ", kernel " + kernel
                    + ", padding " + padding);
        }
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.padding = padding;
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        ShapeChecks.requireRank("Conv1d", inputShape, 2);
        int out = inputShape[1] + 2 * padding - kernel + 1;
        ShapeChecks.require(out > 0, "Conv1d", inputShape, "is shorter than kernel " + kernel);
        return new int[] {outChannels, out};
    }

    @Override
    public List<ParamSpec> parameters(int[] inputShape) {
        outputShape(inputShape);
        int fanIn = inputShape[0] * kernel;
        return List.of(ParamSpec.uniform("weight", fanIn, outChannels, inputShape[0], kernel),
                ParamSpec.uniform("bias", fanIn, outChannels));
    }

    @Override
    public Var forward(Tape tape, Var x, LayerParams p, boolean training) {
        return Ops.conv1d(tape, x, p.param(0), p.param(1), padding);
    }
}
