package dev.reparam.inverse;

/**
 * The paper's secondary stage: every network method's answer becomes the starting point of
 * L-BFGS on the true F, which polishes it into a nearby minimum.
 */
public final class Refinement {
    private final Bfgs bfgs;

    public Refinement(Bfgs bfgs) {
        this.bfgs = bfgs;
    }

    public MethodResult refine(ProblemSet problems, MethodResult result, ProgressListener progress) {
        long start = System.nanoTime();
        Bfgs.Run run = bfgs.minimize(problems, result.unrefined().z().clone(), result.method() + " refine", progress);
        return result.withRefined(run.solution(), (System.nanoTime() - start) * 1e-9);
    }
}
