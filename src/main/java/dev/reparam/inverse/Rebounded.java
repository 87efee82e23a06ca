package dev.reparam.inverse;

import dev.reparam.tensor.Backend;

/** A problem set searched within other bounds than its own (the initial guess moves to their middle). */
public final class Rebounded implements DeviceProblemSet {
    private final ProblemSet base;
    private final Bounds bounds;

    public Rebounded(ProblemSet base, Bounds bounds) {
        this.base = base;
        this.bounds = checked(bounds, base);
    }

    /** {@code bounds}, when they have the problems' dimension; else an IllegalArgumentException saying both. */
    public static Bounds checked(Bounds bounds, ProblemSet problems) {
        if (bounds.dim() != problems.dim()) {
            throw new IllegalArgumentException("bounds give " + bounds.dim() + " dimensions, the problems have " + problems.dim());
        }
        return bounds;
    }

    @Override public int size() { return base.size(); }
    @Override public Bounds bounds() { return bounds; }
    @Override public double[] observations() { return base.observations(); }
    @Override public int[] observationShape() { return base.observationShape(); }
    @Override public double[] inputs() { return base.inputs(); }
    @Override public int[] inputShape() { return base.inputShape(); }
    @Override public double[] trueParameters() { return base.trueParameters(); }

    /** The base problems' device path under these bounds, when the base has one. */
    @Override
    public DeviceLoss deviceLoss(Backend backend, Bounds bounds) {
        return base instanceof DeviceProblemSet d ? d.deviceLoss(backend, bounds) : null;
    }

    @Override
    public void lossAndGradient(int[] problems, double[] xi, double[] loss, double[] gradient) {
        base.lossAndGradient(problems, xi, loss, gradient);
    }
}
