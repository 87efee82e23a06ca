package dev.reparam.tensor;

/**
 * Adam's step bookkeeping (gradient norm, clip scale, step count, bias corrections) for one flat
 * parameter vector, kept where the backend computes ({@link Backend#adam}): on a GPU it stays on
 * the device, so a training iteration reads nothing back and can be captured and replayed; on the
 * host it is {@link HostAdamSteps}.
 */
public interface AdamSteps extends AutoCloseable {
    /**
     * Queues one step: the gradient's norm, the clip scale, the step count and the update. A
     * non-finite norm marks the state failed and this and every later step leave the parameters
     * untouched; {@link #status} tells.
     */
    void queueStep();

    /** Reads the bookkeeping back (on a device: one small host copy, after the queued work). */
    Status status();

    /**
     * @param steps       updates done
     * @param failed      a step met a non-finite gradient norm (no update since)
     * @param failedNorm  that norm (NaN or infinite) when failed
     */
    record Status(int steps, boolean failed, double failedNorm) {}

    @Override
    void close();
}
