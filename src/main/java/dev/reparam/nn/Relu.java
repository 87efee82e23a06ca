package dev.reparam.nn;

import dev.reparam.tensor.Activation;

/** Pointwise relu of any input shape. */
public final class Relu extends ActivationLayer {
    public Relu() {
        super(Activation.RELU);
    }
}
