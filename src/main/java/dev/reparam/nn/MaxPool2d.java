package dev.reparam.nn;

import dev.reparam.autodiff.Tape;
import dev.reparam.autodiff.Var;

/** Max pooling of [C, H, W] inputs over non-overlapping windows (floor). */
public final class MaxPool2d implements Layer {
    private final int kernelH, kernelW;

    public MaxPool2d(int kernel) {
        this(kernel, kernel);
    }

    public MaxPool2d(int kernelH, int kernelW) {
        if (kernelH < 1 || kernelW < 1) {
            throw new IllegalArgumentException("MaxPool2d: window " + kernelH + "x" + kernelW);
        }
        this.kernelH = kernelH;
        this.kernelW = kernelW;
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        ShapeChecks.requireRank("MaxPool2d", inputShape, 3);
        ShapeChecks.require(inputShape[1] >= kernelH && inputShape[2] >= kernelW, "MaxPool2d", inputShape,
                "is smaller than window " + kernelH + "x" + kernelW);
        return new int[] {inputShape[0], inputShape[1] / kernelH, inputShape[2] / kernelW};
    }

    @Override
    public Var forward(Tape tape, Var x, LayerParams p, boolean training) {
        return Ops.maxPool2d(tape, x, kernelH, kernelW);
    }
}
