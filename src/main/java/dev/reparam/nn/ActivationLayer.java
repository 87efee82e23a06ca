package dev.reparam.nn;

import dev.reparam.autodiff.Tape;
import dev.reparam.autodiff.Var;
import dev.reparam.tensor.Activation;

/** A pointwise nonlinearity of any input shape; {@link Relu}, {@link Sigmoid} and {@link Tanh} name the kinds. */
public abstract class ActivationLayer implements Layer {
    private final Activation kind;

    protected ActivationLayer(Activation kind) {
        this.kind = kind;
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        return inputShape.clone();
    }

    @Override
    public Var forward(Tape tape, Var x, LayerParams p, boolean training) {
        return Ops.activation(tape, kind, x);
    }
}
