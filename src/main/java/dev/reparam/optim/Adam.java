package dev.reparam.optim;

import dev.reparam.tensor.Backend;
import dev.reparam.tensor.Tensor;

/**
 * Adam on one flat parameter vector (all of a model's parameters in one buffer) and its flat
 * gradient, through {@link Backend#adamUpdate}, so a step is one kernel plus one reduction for the
 * gradient norm on any backend. The moment estimates are allocated once here; a step allocates
 * nothing.
 */
public final class Adam {
    private final Tensor params;
    private final Tensor grads;
    private final Tensor m;
    private final Tensor v;
    private final AdamOptions options;
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
    }

    /**
     * Updates the parameters from the current gradient, clipped to the global norm
     * maxGradNorm if set.
     *
     * @return the gradient's L2 norm before clipping
     * @throws IllegalStateException if that norm is NaN or infinite; the parameters and moments are
     *                               then left untouched
     */
    public double step() {
        double norm = Math.sqrt(params.backend().sumOfSquares(grads));
        if (!Double.isFinite(norm)) {
            throw new IllegalStateException("non-finite gradient norm " + norm + " at Adam step " + (step + 1)
                    + "; parameters not updated");
        }
        // norm == 0 gives maxGradNorm / 0 = infinity, i.e. no scaling, as wanted.
        double gradScale = Math.min(1, options.maxGradNorm() / norm);
        step++;
        params.backend().adamUpdate(params, grads, m, v, options.lr(), options.beta1(), options.beta2(),
                options.eps(), step, gradScale);
        return norm;
    }

    /** Number of updates done so far. */
    public int steps() {
        return step;
    }
}
