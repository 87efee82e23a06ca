package dev.reparam.nn;

import dev.reparam.tensor.Activation;

/** Pointwise sigmoid of any input shape. */
public final class Sigmoid extends ActivationLayer {
    public Sigmoid() {
        super(Activation.SIGMOID);
    }
}
