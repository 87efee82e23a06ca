package dev.reparam.nn;

import dev.reparam.autodiff.Tape;
import dev.reparam.autodiff.Var;

import java.util.List;

/** 2-d convolution on [Cin, H, W] inputs, stride 1, zero padding ('same' by default). */
public final class Conv2d implements Layer {
    private final int outChannels, kernelH, kernelW, padH, padW;

    /** Square kernel with 'same' padding (kernel - 1) / 2. */
    public Conv2d(int outChannels, int kernel) {
        this(outChannels, kernel, kernel, (kernel - 1) / 2, (kernel - 1) / 2);
    }

    public Conv2d(int outChannels, int kernelH, int kernelW, int padH, int padW) {
        if (outChannels < 1 || kernelH < 1 || kernelW < 1 || padH < 0 || padW < 0) {
            throw new IllegalArgumentException("Conv2d: outChannels " + outChannels + ", kernel " + kernelH + "x"
                    + kernelW + ", padding " + padH + "x" + padW);
        }
        this.outChannels = outChannels;
        this.kernelH = kernelH;
        this.kernelW = kernelW;
        this.padH = padH;
        this.padW = padW;
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        ShapeChecks.requireRank("Conv2d", inputShape, 3);
        int oh = inputShape[1] + 2 * padH - kernelH + 1, ow = inputShape[2] + 2 * padW - kernelW + 1;
        ShapeChecks.require(oh > 0 && ow > 0, "Conv2d", inputShape,
                "is smaller than kernel " + kernelH + "x" + kernelW);
        return new int[] {outChannels, oh, ow};
    }

    @Override
    public List<ParamSpec> parameters(int[] inputShape) {
        outputShape(inputShape);
        int fanIn = inputShape[0] * kernelH * kernelW;
        return List.of(ParamSpec.uniform("weight", fanIn, outChannels, inputShape[0], kernelH, kernelW),
                ParamSpec.uniform("bias", fanIn, outChannels));
    }

    @Override
    public Var forward(Tape tape, Var x, LayerParams p, boolean training) {
        return Ops.conv2d(tape, x, p.param(0), p.param(1), padH, padW);
    }
}
