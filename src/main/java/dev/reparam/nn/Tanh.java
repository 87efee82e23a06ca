package dev.reparam.nn;

import dev.reparam.tensor.Activation;

/** Pointwise tanh of any input shape. */
public final class Tanh extends ActivationLayer {
    public Tanh() {
        super(Activation.TANH);
    }
}
