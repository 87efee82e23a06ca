package dev.reparam.optim;

import dev.reparam.tensor.LbfgsVectors;

/**
 * The scalar state of one problem of a batched L-BFGS run, stepped as L-BFGS-B's
 * {@code mainlb}/{@code lnsrlb} (no bounds) would step it: the Moré–Thuente line search, the stop
 * tests, the curvature-skip rule and the counters. Its vectors live in an {@link LbfgsVectors}
 * shared by all problems. The problem never touches them itself: it says which vector operation
 * it waits for ({@link #pending()}), {@link BatchedLbfgs} runs that operation once for every
 * problem waiting for it, and feeds each problem its few numbers back through the matching
 * {@code on...} method, which sets the next pending action. The sequence of operations and
 * scalar decisions per problem is exactly that of the sequential algorithm.
 */
final class LbfgsProblem {
    /** Machine epsilon, L-BFGS-B's epsmch in the curvature-skip test. */
    private static final double EPSMCH = Math.ulp(1.0);
    /** L-BFGS-B's step bound for unconstrained problems ("big"). */
    private static final double STPMAX = 1e10;
    private static final double LS_FTOL = 1e-3;
    private static final double LS_GTOL = 0.9;
    private static final double LS_XTOL = 0.1;

    /** The operation a problem waits for. */
    enum Action {
        /** the objective at the starting point, then {@link #ADOPT_START} */
        EVALUATE_START,
        /** {@link LbfgsVectors#adoptStart}, then {@link #onStartAdopted} */
        ADOPT_START,
        /** {@link LbfgsVectors#direction}, then {@link #onDirection} */
        DIRECTION,
        /** {@link LbfgsVectors#clear}, then {@link #onCleared} (restart after a failed search) */
        CLEAR,
        /** {@link LbfgsVectors#setTrial} at {@link #step()}, then {@link #onTrial} */
        TRIAL,
        /** the objective at the trial point, then {@link #onEvaluated} */
        EVALUATE,
        /** {@link LbfgsVectors#directionalDerivative}, then {@link #onDirectionalDerivative} */
        LINE_SEARCH_STEP,
        /** {@link LbfgsVectors#finish}, then {@link #onFinished} */
        FINISH,
        /** {@link LbfgsVectors#push} of (step(), curvature()), then {@link #onPushed} */
        PUSH,
        /** this lockstep iteration is done for the problem */
        IDLE,
        /** the problem stopped; {@link #reason()} says why */
        STOPPED
    }

    private final LbfgsOptions options;
    private final MoreThuenteLineSearch search = new MoreThuenteLineSearch(LS_FTOL, LS_GTOL, LS_XTOL, 0, STPMAX);
    private Action pending = Action.EVALUATE_START;

    private double f;             // at the current (last accepted) iterate
    private double evaluatedF;    // at the last evaluated point (the vectors hold its x and g)
    private double gdOld;         // g'd at the start of this iteration's search
    private double gdAccepted;    // g'd at the step the search accepted
    private double step;          // the trial step, or the accepted step while finishing
    private double curvature;     // s'y of the pair to push
    private int searchEvaluations;
    private int pairs;            // pairs held by the vectors (mirrors their count, for the restart rule)

    private int iterations;
    private int evaluations;
    private StopReason reason;

    LbfgsProblem(LbfgsOptions options) {
        this.options = options;
    }

    Action pending() {
        return pending;
    }

    boolean running() {
        return reason == null;
    }

    boolean awaitingEvaluation() {
        return pending == Action.EVALUATE_START || pending == Action.EVALUATE;
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

    /** The trial step for TRIAL, the accepted step for PUSH. */
    double step() {
        return step;
    }

    /** s'y of the pair for PUSH. */
    double curvature() {
        return curvature;
    }

    /** The objective's value at the trial point (whose gradient the vectors now hold). */
    void onEvaluated(double fTrial) {
        evaluations++;
        evaluatedF = fTrial;
        pending = pending == Action.EVALUATE_START ? Action.ADOPT_START : Action.LINE_SEARCH_STEP;
    }

    /** Result at the starting point: L-BFGS-B tests only the gradient there. */
    void onStartAdopted(double maxAbsG, boolean gFinite) {
        f = evaluatedF;
        if (!Double.isFinite(f) || !gFinite) stop(StopReason.NON_FINITE);
        else if (maxAbsG <= options.gtol()) stop(StopReason.CONVERGED_GTOL);
        else pending = Action.IDLE;
    }

    /** Starts a lockstep iteration: a new direction, then the first trial step. */
    void beginIteration() {
        if (running()) pending = Action.DIRECTION;
    }

    void onDirection(double gd, double dd) {
        gdOld = gd;
        if (!(gdOld < 0)) {
            // Not a descent direction (L-BFGS-B's info = -4): handled like a failed search.
            lineSearchFailed();
            return;
        }
        double dnorm = Math.sqrt(dd);
        // Only the very first step is scaled to unit length; later ones trust the quasi-Newton step.
        double stp0 = iterations == 0 ? Math.min(1 / dnorm, STPMAX) : 1;
        search.start(f, gdOld, stp0);
        searchEvaluations = 0;
        step = stp0;
        pending = Action.TRIAL;
    }

    /**
     * same: the trial point equals the last evaluated point. Late in a failing search the step can
     * shrink below the spacing of x, repeating a point; it is not evaluated again (SciPy's
     * ScalarFunction caches the same way, and its nfev counts only real evaluations).
     */
    void onTrial(boolean same) {
        pending = same ? Action.LINE_SEARCH_STEP : Action.EVALUATE;
    }

    /** One step of the line search with φ'(stp) = gd at the last evaluated point. */
    void onDirectionalDerivative(double gd, boolean gFinite) {
        searchEvaluations++;
        if (!Double.isFinite(evaluatedF) || !gFinite) {
            stop(StopReason.NON_FINITE);
            return;
        }
        MoreThuenteLineSearch.Status status = search.next(evaluatedF, gd);
        if (status == MoreThuenteLineSearch.Status.EVALUATE) {
            if (searchEvaluations >= options.maxLineSearchSteps()) {
                lineSearchFailed();
            } else {
                step = search.step();
                pending = Action.TRIAL;
            }
            return;
        }
        // CONVERGED or WARNING: L-BFGS-B takes the step either way.
        step = search.step();
        gdAccepted = gd;
        pending = Action.FINISH;
    }

    /** The vectors accepted the step; maxAbsG is the new gradient's max-abs component. */
    void onFinished(double maxAbsG) {
        double fOld = f, fNew = evaluatedF;
        f = fNew;
        iterations++;

        // Same order of tests as SciPy's driver followed by L-BFGS-B's own.
        if (iterations >= options.maxIterations()) {
            stop(StopReason.MAX_ITERATIONS);
        } else if (evaluations > options.maxEvaluations()) {
            stop(StopReason.MAX_EVALUATIONS);
        } else if (maxAbsG <= options.gtol()) {
            stop(StopReason.CONVERGED_GTOL);
        } else if (fOld - fNew <= options.ftol() * Math.max(Math.max(Math.abs(fOld), Math.abs(fNew)), 1)) {
            stop(StopReason.CONVERGED_FTOL);
        }
        if (reason != null) return;

        // Curvature pair, computed as L-BFGS-B does: s'y from the directional derivatives, and the
        // pair is skipped unless s'y > epsmch * (-s'g_old), i.e. unless the curvature is positive
        // relative to the decrease predicted along s.
        double sy;
        double minusSg;
        if (step == 1) {
            sy = gdAccepted - gdOld;
            minusSg = -gdOld;
        } else {
            sy = (gdAccepted - gdOld) * step;
            minusSg = -gdOld * step;
        }
        if (sy <= EPSMCH * minusSg) {
            pending = Action.IDLE;
            return;
        }
        curvature = sy;
        pending = Action.PUSH;
    }

    void onPushed() {
        pairs = Math.min(pairs + 1, options.memory());
        pending = Action.IDLE;
    }

    void onCleared() {
        pairs = 0;
        pending = Action.DIRECTION;
    }

    /**
     * L-BFGS-B's recovery: the iterate stays where it was; with pairs in memory they are dropped and
     * the iteration restarts from steepest descent, otherwise the problem stops (abnormal).
     */
    private void lineSearchFailed() {
        if (pairs == 0) stop(StopReason.LINE_SEARCH_FAILED);
        else pending = Action.CLEAR;
    }

    private void stop(StopReason why) {
        reason = why;
        pending = Action.STOPPED;
    }
}
