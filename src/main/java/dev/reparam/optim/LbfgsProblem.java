package dev.reparam.optim;

/**
 * One problem of a batched L-BFGS run: its iterate, memory, line search and stop status, stepped
 * as L-BFGS-B's {@code mainlb}/{@code lnsrlb} (no bounds) would step it. It never evaluates the
 * objective itself; it exposes the point it needs evaluated and is fed the result, so that
 * {@link BatchedLbfgs} can evaluate all problems together.
 */
final class LbfgsProblem {
    /** Machine epsilon, L-BFGS-B's epsmch in the curvature-skip test. */
    private static final double EPSMCH = Math.ulp(1.0);
    /** L-BFGS-B's step bound for unconstrained problems ("big"). */
    private static final double STPMAX = 1e10;
    private static final double LS_FTOL = 1e-3;
    private static final double LS_GTOL = 0.9;
    private static final double LS_XTOL = 0.1;

    private final LbfgsOptions options;
    private final LbfgsMemory memory;
    private final MoreThuenteLineSearch search = new MoreThuenteLineSearch(LS_FTOL, LS_GTOL, LS_XTOL, 0, STPMAX);

    // Current (last accepted) iterate.
    private final double[] x;
    private double f;
    private final double[] g;

    // This iteration's direction and line search.
    private final double[] d;
    private double gdOld;
    private final double[] trial;
    private int searchEvaluations;
    private boolean awaitingEvaluation;

    // The last point actually evaluated, so a trial equal to it is not evaluated again (SciPy's
    // ScalarFunction caches the same way, and its nfev counts only real evaluations).
    private final double[] evaluatedX;
    private double evaluatedF;
    private final double[] evaluatedG;

    private final double[] s;
    private final double[] y;

    private int iterations;
    private int evaluations;
    private StopReason reason;

    LbfgsProblem(double[] x0, LbfgsOptions options) {
        int dim = x0.length;
        this.options = options;
        this.memory = new LbfgsMemory(options.memory(), dim);
        this.x = x0.clone();
        this.g = new double[dim];
        this.d = new double[dim];
        this.trial = x0.clone();
        this.evaluatedX = new double[dim];
        this.evaluatedG = new double[dim];
        this.s = new double[dim];
        this.y = new double[dim];
        this.awaitingEvaluation = true;
    }

    boolean running() {
        return reason == null;
    }

    /** Whether {@link #trialPoint()} waits for an evaluation in the current round. */
    boolean awaitingEvaluation() {
        return running() && awaitingEvaluation;
    }

    double[] trialPoint() {
        return trial;
    }

    double[] x() {
        return x;
    }

    double f() {
        return f;
    }

    int iterations() {
        return iterations;
    }

    int evaluations() {
        return evaluations;
    }

    StopReason reason() {
        return reason;
    }

    /** Result at the starting point: L-BFGS-B tests only the gradient there. */
    void acceptStart(double f0, double[] g0, int offset) {
        evaluations++;
        awaitingEvaluation = false;
        f = f0;
        System.arraycopy(g0, offset, g, 0, g.length);
        remember(f0, g0, offset);
        if (!finite(f0, g)) {
            reason = StopReason.NON_FINITE;
        } else if (maxAbs(g) <= options.gtol()) {
            reason = StopReason.CONVERGED_GTOL;
        }
    }

    /** Starts an iteration: new direction and first trial step. */
    void beginIteration() {
        memory.direction(g, d);
        gdOld = LbfgsMemory.dot(g, d);
        if (!(gdOld < 0)) {
            // Not a descent direction (L-BFGS-B's info = -4): handled like a failed search.
            lineSearchFailed();
            return;
        }
        double dnorm = Math.sqrt(LbfgsMemory.dot(d, d));
        // Only the very first step is scaled to unit length; later ones trust the quasi-Newton step.
        double stp0 = iterations == 0 ? Math.min(1 / dnorm, STPMAX) : 1;
        search.start(f, gdOld, stp0);
        searchEvaluations = 0;
        setTrial(stp0);
    }

    /** Feeds f and g (row at offset) at {@link #trialPoint()}. */
    void acceptTrial(double fTrial, double[] gAll, int offset) {
        evaluations++;
        awaitingEvaluation = false;
        remember(fTrial, gAll, offset);
        lineSearchStep(fTrial, gAll, offset);
    }

    /** One step of the line search with the value at the trial point, evaluated or remembered. */
    private void lineSearchStep(double fTrial, double[] gAll, int offset) {
        searchEvaluations++;
        double gd = 0;
        boolean finite = Double.isFinite(fTrial);
        for (int i = 0; i < y.length; i++) {
            double gi = gAll[offset + i];
            finite &= Double.isFinite(gi);
            gd += gi * d[i];
        }
        if (!finite) {
            reason = StopReason.NON_FINITE;
            return;
        }
        MoreThuenteLineSearch.Status status = search.next(fTrial, gd);
        if (status == MoreThuenteLineSearch.Status.EVALUATE) {
            if (searchEvaluations >= options.maxLineSearchSteps()) lineSearchFailed();
            else setTrial(search.step());
            return;
        }
        // CONVERGED or WARNING: L-BFGS-B takes the step either way.
        finishIteration(search.step(), fTrial, gAll, offset, gd);
    }

    private void finishIteration(double stp, double fNew, double[] gAll, int offset, double gd) {
        double fOld = f;
        for (int i = 0; i < y.length; i++) y[i] = gAll[offset + i] - g[i];
        System.arraycopy(trial, 0, x, 0, x.length);
        System.arraycopy(gAll, offset, g, 0, g.length);
        f = fNew;
        iterations++;

        // Same order of tests as SciPy's driver followed by L-BFGS-B's own.
        if (iterations >= options.maxIterations()) {
            reason = StopReason.MAX_ITERATIONS;
        } else if (evaluations > options.maxEvaluations()) {
            reason = StopReason.MAX_EVALUATIONS;
        } else if (maxAbs(g) <= options.gtol()) {
            reason = StopReason.CONVERGED_GTOL;
        } else if (fOld - fNew <= options.ftol() * Math.max(Math.max(Math.abs(fOld), Math.abs(fNew)), 1)) {
            reason = StopReason.CONVERGED_FTOL;
        }
        if (reason != null) return;

        // Curvature pair, computed as L-BFGS-B does: s'y from the directional derivatives, and the
        // pair is skipped unless s'y > epsmch * (-s'g_old), i.e. unless the curvature is positive
        // relative to the decrease predicted along s.
        double sy;
        double minusSg;
        if (stp == 1) {
            sy = gd - gdOld;
            minusSg = -gdOld;
        } else {
            sy = (gd - gdOld) * stp;
            minusSg = -gdOld * stp;
        }
        if (sy <= EPSMCH * minusSg) return;
        for (int i = 0; i < s.length; i++) s[i] = stp * d[i];
        memory.push(s, y, sy, LbfgsMemory.dot(y, y));
    }

    /**
     * L-BFGS-B's recovery: the iterate stays where it was; with pairs in memory they are dropped and
     * the iteration restarts from steepest descent, otherwise the problem stops (abnormal).
     */
    private void lineSearchFailed() {
        if (memory.isEmpty()) {
            reason = StopReason.LINE_SEARCH_FAILED;
            return;
        }
        memory.clear();
        beginIteration();
    }

    private void setTrial(double stp) {
        boolean same = true;
        for (int i = 0; i < trial.length; i++) {
            trial[i] = x[i] + stp * d[i];
            same &= trial[i] == evaluatedX[i];
        }
        // Late in a failing search the step can shrink below the spacing of x, repeating a point.
        if (same) lineSearchStep(evaluatedF, evaluatedG, 0);
        else awaitingEvaluation = true;
    }

    private void remember(double fValue, double[] gAll, int offset) {
        System.arraycopy(trial, 0, evaluatedX, 0, trial.length);
        evaluatedF = fValue;
        System.arraycopy(gAll, offset, evaluatedG, 0, evaluatedG.length);
    }

    private static boolean finite(double f, double[] g) {
        if (!Double.isFinite(f)) return false;
        for (double v : g) if (!Double.isFinite(v)) return false;
        return true;
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double e : v) m = Math.max(m, Math.abs(e));
        return m;
    }
}
