package dev.reparam.autodiff;

import dev.reparam.tensor.Backend;
import dev.reparam.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Minimal reverse-mode autodiff: ops are recorded in execution order, which is already a
 * topological order, and {@link #backward} replays their vector-Jacobian products in reverse.
 * One tape records one forward pass; make a new one (or {@link #clear}) per iteration.
 */
public final class Tape {
    private record Entry(Var output, Backward backward) {}

    private final Backend backend;
    private final List<Entry> entries = new ArrayList<>();

    public Tape(Backend backend) {
        this.backend = backend;
    }

    public Backend backend() {
        return backend;
    }

    /** A value no gradient flows to (inputs, observations). */
    public Var constant(Tensor value) {
        return new Var(value, false, null);
    }

    /** A leaf whose gradient is accumulated into {@code grad} (for example a view of a flat buffer). */
    public Var parameter(Tensor value, Tensor grad) {
        if (!value.sameShape(grad)) throw new IllegalArgumentException("gradient shape differs from parameter shape");
        return new Var(value, true, grad);
    }

    /** A leaf with its own lazily allocated gradient. */
    public Var leaf(Tensor value) {
        return new Var(value, true, null);
    }

    /**
     * Records an op's result. The result needs a gradient when any input does; otherwise the
     * backward is not recorded at all.
     */
    public Var record(Tensor output, Backward backward, Var... inputs) {
        boolean needs = false;
        for (Var v : inputs) needs |= v != null && v.requiresGrad();
        Var out = new Var(output, needs, null);
        if (needs) entries.add(new Entry(out, backward));
        return out;
    }

    /** Applies a user-defined differentiable op (for example a simulator with a hand-written adjoint). */
    public Var apply(DifferentiableOp op, Var... inputs) {
        Tensor[] values = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) values[i] = inputs[i].value();
        Tensor out = op.forward(values);
        return record(out, o -> {
            Tensor[] grads = new Tensor[inputs.length];
            for (int i = 0; i < inputs.length; i++) grads[i] = inputs[i].gradOrNull();
            op.backward(values, o.value(), o.gradOrNull(), grads);
        }, inputs);
    }

    /** Back-propagates from {@code output} seeded with {@code seed} (same shape as the output). */
    public void backward(Var output, Tensor seed) {
        if (!output.requiresGrad()) throw new IllegalStateException("output does not depend on any parameter");
        backend.axpy(1.0, seed, output.gradOrNull());
        for (int i = entries.size() - 1; i >= 0; i--) {
            Entry e = entries.get(i);
            e.backward().apply(e.output());
        }
    }

    /** Back-propagates from a scalar (single-element) output with seed 1. */
    public void backward(Var scalar) {
        if (scalar.value().size() != 1) {
            throw new IllegalArgumentException("backward() without seed needs a scalar output");
        }
        backward(scalar, backend.fromHost(new double[] {1.0}, scalar.shape()));
    }

    public void clear() {
        entries.clear();
    }

    public int size() {
        return entries.size();
    }
}
