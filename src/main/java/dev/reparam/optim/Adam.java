package dev.reparam.optim;

import dev.reparam.tensor.AdamSteps;
import dev.reparam.tensor.Backend;
import dev.reparam.tensor.Tensor;

/**
 * Adam on one flat parameter vector (all of a model's parameters in one buffer) and its flat
 * gradient. The moment estimates are allocated once here; a step allocates nothing. The step
 * bookkeeping (norm, clip scale, count) is the backend's ({@link Backend#adam}): on a GPU it
 * stays on the device, so {@link #queueStep} reads nothing back and a training iteration can be
 * replayed as a graph; on the CPU it is the host reference.
 */
public final class Adam {
    private final Tensor params;
    private final Tensor grads;
    private final AdamSteps steps;

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
        Backend backend = params.backend();
        Tensor m = backend.zeros(params.shape());
        Tensor v = backend.zeros(params.shape());
        this.steps = backend.adam(params, grads, m, v, options.lr(), options.beta1(), options.beta2(), options.eps(),
                options.maxGradNorm(), options.schedule());
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
        steps.queueStep();
        checkFinite();
        return norm;
    }

    /**
     * Queues a step that reads nothing back where the backend keeps the bookkeeping on its
     * device. A non-finite gradient norm is reported by the next {@link #checkFinite()}, and no
     * step updates after it.
     */
    public void queueStep() {
        steps.queueStep();
    }

    /**
     * Throws the exception {@link #step()} throws if a queued step met a non-finite gradient norm
     * (one small host read on a device backend).
     */
    public void checkFinite() {
        AdamSteps.Status s = steps.status();
        if (s.failed()) throw new NonFiniteGradientException(s.failedNorm(), s.steps() + 1);
    }

    /** Number of updates done so far (read from the device where the count lives there). */
    public int steps() {
        return steps.status().steps();
    }
}
