package dev.reparam.inverse;

import dev.reparam.tensor.Backend;

/**
 * A backend that evaluates the training losses of the network methods on its own device, so that
 * their iterations read nothing back (and can be recorded, see
 * {@link dev.reparam.tensor.IterationRunner}). The CUDA backend is one; elsewhere the losses are
 * computed on the host.
 */
public interface DeviceLossBackend extends Backend {
    /**
     * Supervised training's loss ({@link ParameterErrorOp}) on this device: per row j of z,
     * e_j = sum_d ((xi_jd - truth_jd) / half_d)^2 with xi the bound map of z under
     * {@code bounds}, and its gradient in z. The targets go up once, here.
     */
    DeviceLoss parameterError(Bounds bounds, double[] truth);
}
