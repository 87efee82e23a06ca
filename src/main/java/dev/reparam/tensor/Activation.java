package dev.reparam.tensor;

/** Pointwise nonlinearities with closed-form derivatives expressed through the output where possible. */
public enum Activation {
    RELU, SIGMOID, TANH
}
