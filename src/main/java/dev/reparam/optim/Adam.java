package dev.reparam.optim;

import dev.reparam.tensor.Backend;
import dev.reparam.tensor.Tensor;

/**
 * Adam on one flat parameter vector (all of a model's parameters in one buffer) and its flat
 * gradient, through {@link Backend#adamUpdate}, so a step is one kernel plus one reduction for the
 * gradient norm on any backend. The moment estimates are allocated once here; a step allocates
 * nothing. On a {@link DeviceAdamBackend} the norm, clip scale and step count stay on the device
 * and {@link #queueStep} reads nothing back, so a training iteration can be replayed as a graph.
 */
public final class Adam {
    private final Tensor params;
    private final Tensor grads;
    private final Tensor m;
    private final Tensor v;
    private final AdamOptions options;
    /** The device bookkeeping, or null where the backend has none (the host path below). */
    private final DeviceAdam device;
    private int step;

    /** params and grads must live on the same backend and have the same size; grads is read at each {@link #step()}. */
    public Adam(Tensor params, Tensor grads, AdamOptions options) {
        if (params.size() != grads.size()) {
            throw new IllegalArgumentException("gradient " + grads + " does not match parameters " + params);
        }
        if (params.backend() != grads.backend()) {
            throw new IllegalArgumentException("parameters on " + params.backend().name()
                    + " but gradient on " + grads.backend().name());
        }
        this.params = params;
        this.grads = grads;
        this.options = options;
        Backend backend = params.backend();
        this.m = backend.zeros(params.shape());
        this.v = backend.zeros(params.shape());
        this.device = backend instanceof DeviceAdamBackend d ? d.adamOnDevice(params, grads, m, v, options) : null;
    }

    /**
     * Updates the parameters from the current gradient, clipped to the global norm
     * maxGradNorm if set.
     *
     * @return the gradient's L2 norm before clipping
     * @throws NonFiniteGradientException if that norm is NaN or infinite; the parameters and moments are
     *                               then left untouched
     */
    public double step() {
        double norm = Math.sqrt(params.backend().sumOfSquares(grads));
        if (device != null) {
            device.queueStep();
            checkFinite();
            return norm;
        }
        if (!Double.isFinite(norm)) throw nonFinite(norm, step + 1);
        // norm == 0 gives maxGradNorm / 0 = infinity, i.e. no scaling, as wanted.
        double gradScale = Math.min(1, options.maxGradNorm() / norm);
        step++;
        params.backend().adamUpdate(params, grads, m, v, options.lr(), options.beta1(), options.beta2(),
                options.eps(), step, gradScale);
        return norm;
    }

    /**
     * Queues a step that reads nothing back to the host where the backend allows
     * ({@link DeviceAdamBackend}); elsewhere the same as {@link #step()}. A non-finite gradient
     * norm is then reported by the next {@link #checkFinite()}, and no step updates after it.
     */
    public void queueStep() {
        if (device == null) step();
        else device.queueStep();
    }

    /**
     * Throws the exception {@link #step()} throws if a queued step met a non-finite gradient norm
     * (one small host read on a device backend; nothing to do on the host path, which throws at once).
     */
    public void checkFinite() {
        if (device == null) return;
        DeviceAdam.Status s = device.status();
        if (s.failed()) throw nonFinite(s.failedNorm(), s.steps() + 1);
    }

    private static NonFiniteGradientException nonFinite(double norm, int atStep) {
        return new NonFiniteGradientException(norm, atStep);
    }

    /** Number of updates done so far (read from the device where the count lives there). */
    public int steps() {
        return device != null ? device.status().steps() : step;
    }
}
