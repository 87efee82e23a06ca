package dev.reparam.autodiff;

import dev.reparam.tensor.Tensor;

/**
 * A value on the tape. Its gradient is allocated (zeroed) the first time a backward pass
 * accumulates into it; parameters instead point at a view of their model's flat gradient buffer.
 */
public final class Var {
    private final Tensor value;
    private final boolean requiresGrad;
    private Tensor grad;

    Var(Tensor value, boolean requiresGrad, Tensor grad) {
        this.value = value;
        this.requiresGrad = requiresGrad;
        this.grad = grad;
    }

    public Tensor value() {
        return value;
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /**
     * The gradient buffer to accumulate into during backward, or {@code null} when no gradient
     * flows to this value (a constant, or a value computed only from constants).
     */
    public Tensor gradOrNull() {
        if (!requiresGrad) return null;
        if (grad == null) grad = value.backend().zeros(value.shape());
        return grad;
    }

    /** The accumulated gradient after {@link Tape#backward}; zeros if nothing reached it. */
    public Tensor grad() {
        if (!requiresGrad) throw new IllegalStateException("value does not require a gradient");
        return gradOrNull();
    }

    public int[] shape() {
        return value.shape();
    }
}
