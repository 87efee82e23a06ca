package dev.reparam.tensor;

/**
 * A {@link BatchedLoss} computed where the tensors live: each evaluation writes the losses and the
 * gradient in z into tensors of the backend (allocated in the iteration's scope, so a warmed-up
 * iteration allocates nothing new), and the chain rule reads that gradient there. Implementations
 * supply the two kernels; by default they only queue work ({@link #capturable}).
 */
public abstract class DeviceLoss implements BatchedLoss {
    /** The gradient in z of the last evaluation. */
    private Tensor gradZ;

    /** Overwrites loss[n] and gradZ[n, dim] (the tanh bound map included) at z[n, dim]. */
    public abstract void evaluate(Tensor z, Tensor loss, Tensor gradZ);

    /** dz[i, :] += upstream[i] * gradZ[i, :]. */
    public abstract void chain(Tensor upstream, Tensor gradZ, Tensor dz);

    @Override
    public final Tensor evaluate(Tensor z) {
        Backend b = z.backend();
        Tensor loss = b.zeros(z.shape()[0]);
        gradZ = b.zeros(z.shape());
        evaluate(z, loss, gradZ);
        return loss;
    }

    @Override
    public final void chain(Tensor upstream, Tensor dz) {
        chain(upstream, gradZ, dz);
    }

    @Override
    public boolean capturable() {
        return true;
    }
}
