package dev.reparam.inverse;

import dev.reparam.tensor.Backend;
import dev.reparam.tensor.BatchedLoss;
import dev.reparam.tensor.Bounds;

/** A problem set searched within other bounds than its own (the initial guess moves to their middle). */
public final class Rebounded extends ForwardingProblemSet {
    private final Bounds bounds;

    public Rebounded(ProblemSet base, Bounds bounds) {
        super(base);
        this.bounds = checked(bounds, base);
    }

    /** {@code bounds}, when they have the problems' dimension; else an IllegalArgumentException saying both. */
    public static Bounds checked(Bounds bounds, ProblemSet problems) {
        if (bounds.dim() != problems.dim()) {
            throw new IllegalArgumentException("bounds give " + bounds.dim() + " dimensions, the problems have "
                    + problems.dim());
        }
        return bounds;
    }

    @Override public Bounds bounds() { return bounds; }
    /** The middle of the search bounds: the base's start may lie outside them. */
    @Override public double[] initialGuess() { return bounds.mid(); }

    /** The base problems' losses (on the device where the base is placed there) under the bounds asked for. */
    @Override
    public BatchedLoss batchedLoss(Backend backend, Bounds bounds) {
        return base.batchedLoss(backend, bounds);
    }

    @Override
    public void lossAndGradient(int[] problems, double[] xi, double[] loss, double[] gradient) {
        base.lossAndGradient(problems, xi, loss, gradient);
    }
}
