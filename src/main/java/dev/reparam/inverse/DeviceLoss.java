package dev.reparam.inverse;

import dev.reparam.tensor.Tensor;

/**
 * A problem set's per-problem loss and its gradient in z, evaluated on the backend's device.
 * Neither method copies z, the losses or the gradient to or from the host, nor allocates; unless
 * {@link #capturable} says otherwise they only queue work, so they can run inside a captured
 * iteration.
 */
public interface DeviceLoss {
    /** Overwrites loss[n] and gradZ[n, dim] (the tanh bound map included) at z[n, dim]. */
    void evaluate(Tensor z, Tensor loss, Tensor gradZ);

    /** dz[i, :] += upstream[i] * gradZ[i, :]: the chain rule through the per-problem losses. */
    void chain(Tensor upstream, Tensor gradZ, Tensor dz);

    /**
     * Whether {@link #evaluate} only queues work (no host read or synchronisation of any kind), so
     * that an iteration around it can be recorded as a CUDA graph. A loss whose solver reads a few
     * flags back to decide how long to iterate (the Navier-Stokes CG) answers false: its
     * iterations still keep z and the losses on the device, but run eagerly.
     */
    default boolean capturable() {
        return true;
    }
}
