package dev.reparam.inverse;

import dev.reparam.optim.BatchedLbfgs;
import dev.reparam.optim.LbfgsOptions;
import dev.reparam.optim.LbfgsResult;
import dev.reparam.tensor.LbfgsVectors;

import java.util.Arrays;

/**
 * The baseline: L-BFGS on every problem independently from the prior mean, all problems advanced
 * in lockstep so that every evaluation of F is one batch.
 */
public final class Bfgs {
    public static final String NAME = "bfgs";
    private final LbfgsOptions options;
    private final LbfgsVectors.Factory vectors;

    public Bfgs(LbfgsOptions options) {
        this(options, LbfgsVectors.HOST);
    }

    /**
     * @param vectors where L-BFGS keeps its vectors: {@link LbfgsVectors#HOST}, or a GPU's
     *                ({@code Backends.lbfgsVectors(backend)}); results agree to rounding
     */
    public Bfgs(LbfgsOptions options, LbfgsVectors.Factory vectors) {
        this.options = options;
        this.vectors = vectors;
    }

    public Bfgs() {
        this(LbfgsOptions.defaults());
    }

    public LbfgsOptions options() {
        return options;
    }

    /** Runs BFGS from {@link ProblemSet#initialGuess()} for every problem. */
    public MethodResult solve(ProblemSet problems, ProgressListener progress) {
        ProblemSets.validate(problems);
        int n = problems.size(), dim = problems.dim();
        double[] guess = problems.initialGuess();
        double[] xi0 = new double[n * dim];
        for (int i = 0; i < n; i++) System.arraycopy(guess, 0, xi0, i * dim, dim);
        double[] z0 = new double[n * dim];
        problems.bounds().toUnconstrained(xi0, z0);
        long start = System.nanoTime();
        Run run = minimize(problems, z0, NAME, progress);
        return new MethodResult(NAME, run.solution, null, run.curve, (System.nanoTime() - start) * 1e-9, 0);
    }

    record Run(Solution solution, double[][] curve) {}

    /** L-BFGS from given unconstrained starting points (n * dim). */
    Run minimize(ProblemSet problems, double[] z0, String phase, ProgressListener progress) {
        UnconstrainedObjective objective = new UnconstrainedObjective(problems);
        int n = problems.size();
        LbfgsResult r = BatchedLbfgs.minimize(objective, z0, options,
                (iteration, running, meanF) -> progress.progress(phase, n - running, n,
                        String.format("iteration %d, mean loss %.4g", iteration, meanF)), vectors);
        double[] xi = new double[r.x().length];
        problems.bounds().toPhysical(r.x(), xi);
        String[] reasons = Arrays.stream(r.reasons()).map(s -> s.name().toLowerCase()).toArray(String[]::new);
        Solution s = new Solution(r.x(), xi, r.f(), r.iterations(), r.evaluations(), reasons);
        return new Run(s, r.lossHistory());
    }
}
