package dev.reparam.nn;

import dev.reparam.autodiff.Tape;
import dev.reparam.autodiff.Var;
import dev.reparam.tensor.Activation;

/** Pointwise sigmoid of any input shape. */
public final class Sigmoid implements Layer {
    @Override
    public int[] outputShape(int[] inputShape) {
        return inputShape.clone();
    }

    @Override
    public Var forward(Tape tape, Var x, LayerParams p, boolean training) {
        return Ops.activation(tape, Activation.SIGMOID, x);
    }
}
