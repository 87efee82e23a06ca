package dev.reparam.inverse;

import dev.reparam.tensor.Bounds;

/**
 * The paper's secondary stage: every network method's answer becomes the starting point of
 * L-BFGS on the true F, which polishes it into a nearby minimum.
 */
public final class Refinement {
    /**
     * Largest |z| a refinement starts from on a bounded dimension. An answer on (or next to) a
     * bound has a saturated tanh: at z = 14 the gradient in z is 1e-12 times the gradient in xi, so
     * L-BFGS meets its gradient tolerance at once and never moves (seen with the neural adjoint,
     * whose answers are clamped onto the bounds). At |z| = 3 the start is 0.5% of the half-width
     * inside the bound and tanh' = 0.01 still carries the gradient.
     */
    static final double MAX_START_Z = 3.0;

    private final Bfgs bfgs;

    public Refinement(Bfgs bfgs) {
        this.bfgs = bfgs;
    }

    public MethodResult refine(ProblemSet problems, MethodResult result, ProgressListener progress) {
        long start = System.nanoTime();
        double[] z0 = startingPoint(problems.bounds(), result.unrefined().z());
        Bfgs.Run run = bfgs.minimize(problems, z0, result.method() + " refine", progress);
        return result.withRefined(run.solution(), (System.nanoTime() - start) * 1e-9);
    }

    /** The answers' z with bounded dimensions pulled into [-MAX_START_Z, MAX_START_Z]. */
    static double[] startingPoint(Bounds bounds, double[] z) {
        int dim = bounds.dim();
        double[] z0 = z.clone();
        for (int i = 0; i < z0.length; i++) {
            if (bounds.isBounded(i % dim)) z0[i] = Math.max(-MAX_START_Z, Math.min(MAX_START_Z, z0[i]));
        }
        return z0;
    }
}
