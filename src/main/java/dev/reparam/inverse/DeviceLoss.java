package dev.reparam.inverse;

import dev.reparam.tensor.Tensor;

/**
 * A problem set's per-problem loss and its gradient in z, evaluated on the backend's device.
 * Both methods only queue work: no host copies, no allocation, so they can run inside a
 * captured iteration.
 */
public interface DeviceLoss {
    /** Overwrites loss[n] and gradZ[n, dim] (the tanh bound map included) at z[n, dim]. */
    void evaluate(Tensor z, Tensor loss, Tensor gradZ);

    /** dz[i, :] += upstream[i] * gradZ[i, :]: the chain rule through the per-problem losses. */
    void chain(Tensor upstream, Tensor gradZ, Tensor dz);
}
