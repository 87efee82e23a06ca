package dev.reparam.tensor;

/**
 * Per-problem losses of a batch of problems and their gradient in z, as one op on a backend:
 * the contract through which a problem set's physics (or supervised training's parameter error)
 * reaches the networks' tape, wherever the backend runs. Host implementations copy z to the host
 * and the losses back and keep the gradient there; device implementations ({@link DeviceLoss})
 * neither copy nor read back and, unless {@link #capturable} says otherwise, only queue work, so
 * they can run inside a captured iteration.
 */
public interface BatchedLoss {
    /** The losses [n] at z[n, dim] (the tanh bound map included); keeps their gradient in z for {@link #chain}. */
    Tensor evaluate(Tensor z);

    /** dz[i, :] += upstream[i] * dL_i/dz_i at the last evaluated z: the chain rule through the losses. */
    void chain(Tensor upstream, Tensor dz);

    /**
     * Whether {@link #evaluate} only queues work (no host read or synchronisation of any kind), so
     * that an iteration around it can be recorded as a CUDA graph. Host implementations answer
     * false; so does a device loss whose solver reads a few flags back to decide how long to
     * iterate (the Navier-Stokes CG): its iterations still keep z and the losses on the device,
     * but run eagerly.
     */
    boolean capturable();
}
