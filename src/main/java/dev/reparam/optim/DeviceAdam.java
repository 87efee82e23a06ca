package dev.reparam.optim;

/** Adam whose step bookkeeping lives on the device (see {@link DeviceAdamBackend}). */
public interface DeviceAdam extends AutoCloseable {
    /**
     * Queues one step: the gradient's norm, the clip scale, the step count and the update, all
     * on the device. A non-finite norm marks the state failed and this and every later step
     * leave the parameters untouched; {@link #status} tells.
     */
    void queueStep();

    /** Reads the bookkeeping back (one small host copy, after the queued work). */
    Status status();

    /**
     * @param steps       updates done on the device
     * @param failed      a step met a non-finite gradient norm (no update since)
     * @param failedNorm  that norm (NaN or infinite) when failed
     */
    record Status(int steps, boolean failed, double failedNorm) {}

    @Override
    void close();
}
