package dev.reparam.optim;

import dev.reparam.tensor.LbfgsVectors;
import org.apache.commons.math3.stat.StatUtils;

import java.util.ArrayList;
import java.util.List;

/**
 * L-BFGS for n independent problems advanced in lockstep, following SciPy's
 * {@code minimize(method='L-BFGS-B')} without bounds (see {@link LbfgsOptions#defaults()}).
 *
 * <p>Each problem keeps its own scalar state, Moré–Thuente line search and stop status
 * ({@link LbfgsProblem}); their vectors live together in one {@link LbfgsVectors} (on the host
 * by default, or on a GPU). This class only schedules them. A lockstep iteration starts the
 * iteration of every running problem, then repeats rounds until all their line searches are done:
 * each round first runs every pending vector operation once for all problems waiting for it
 * (direction, trial point, directional derivative, accepting a step, storing a pair), until all
 * problems either wait for a value or are done, then gathers the trial points of the problems
 * that need a value and calls {@link BatchedObjective#evaluate} once for all of them. A problem
 * whose search ended waits for the others, and a stopped problem is never evaluated again.
 * Per-problem results (iterates, nit, nfev) do not depend on the batch they run in.
 */
public final class BatchedLbfgs {
    private BatchedLbfgs() {}

    /**
     * {@link #minimize(BatchedObjective, double[], LbfgsOptions, IterationListener, LbfgsVectors.Factory)} on the host.
     */
    public static LbfgsResult minimize(BatchedObjective objective, double[] x0, LbfgsOptions options,
                                       IterationListener listener) {
        return minimize(objective, x0, options, listener, LbfgsVectors.HOST);
    }

    /**
     * @param x0       starting points, row p = x0[p*dim .. (p+1)*dim)
     * @param listener called after each lockstep iteration; may be null
     * @param vectors  where the vectors live and their O(dim) work runs; closed before returning
     */
    public static LbfgsResult minimize(BatchedObjective objective, double[] x0, LbfgsOptions options,
                                       IterationListener listener, LbfgsVectors.Factory vectors) {
        int n = objective.size();
        int dim = objective.dim();
        if (x0.length != n * dim) {
            throw new IllegalArgumentException("x0 has " + x0.length + " values, expected " + n + " x " + dim);
        }
        LbfgsProblem[] problems = new LbfgsProblem[n];
        for (int p = 0; p < n; p++) problems[p] = new LbfgsProblem(options);
        try (LbfgsVectors v = vectors.create(n, dim, options.memory(), x0)) {
            Scheduler scheduler = new Scheduler(objective, problems, v);

            scheduler.evaluate();
            scheduler.settle();
            List<double[]> history = new ArrayList<>();
            history.add(currentF(problems));

            while (countRunning(problems) > 0) {
                for (LbfgsProblem p : problems) p.beginIteration();
                do {
                    // Vector work until every problem waits for a value or is done, then one
                    // batched evaluation, until no line search of this iteration waits.
                    scheduler.settle();
                } while (scheduler.evaluate());
                double[] f = currentF(problems);
                history.add(f);
                if (listener != null) {
                    listener.onIteration(history.size() - 1, countRunning(problems), StatUtils.mean(f));
                }
            }
            double[] x = new double[n * dim];
            v.positions(x);
            return result(problems, x, history, scheduler.calls);
        }
    }

    /** Runs each pending operation once for all problems waiting for it. */
    private static final class Scheduler {
        private final BatchedObjective objective;
        private final LbfgsProblem[] problems;
        private final LbfgsVectors vectors;
        private final int dim;
        int calls;

        Scheduler(BatchedObjective objective, LbfgsProblem[] problems, LbfgsVectors vectors) {
            this.objective = objective;
            this.problems = problems;
            this.vectors = vectors;
            this.dim = objective.dim();
        }

        /** One batched evaluation; returns false (and evaluates nothing) when no problem waits. */
        boolean evaluate() {
            int k = 0;
            for (LbfgsProblem p : problems) if (p.awaitingEvaluation()) k++;
            if (k == 0) return false;
            int[] ids = new int[k];
            for (int p = 0, j = 0; p < problems.length; p++) if (problems[p].awaitingEvaluation()) ids[j++] = p;
            double[] x = new double[k * dim];
            vectors.trialPoints(ids, x);
            double[] f = new double[k];
            double[] g = new double[k * dim];
            objective.evaluate(ids, x, f, g);
            calls++;
            vectors.storeEvaluated(ids, g);
            for (int j = 0; j < k; j++) problems[ids[j]].onEvaluated(f[j]);
            return true;
        }

        /** Vector operations until every problem waits for an evaluation, is idle or stopped. */
        void settle() {
            boolean progressed;
            do {
                progressed = false;
                for (LbfgsProblem.Action a : VECTOR_ACTIONS) progressed |= run(a);
            } while (progressed);
        }

        private static final LbfgsProblem.Action[] VECTOR_ACTIONS = {
                LbfgsProblem.Action.ADOPT_START, LbfgsProblem.Action.CLEAR, LbfgsProblem.Action.DIRECTION,
                LbfgsProblem.Action.TRIAL, LbfgsProblem.Action.LINE_SEARCH_STEP, LbfgsProblem.Action.FINISH,
                LbfgsProblem.Action.PUSH};

        /** One call of the vector operation for every problem pending on {@code a}; false when none is. */
        private boolean run(LbfgsProblem.Action a) {
            int[] ids = waitingFor(a);
            int k = ids.length;
            if (k == 0) return false;
            double[] r1 = new double[k], r2 = new double[k];
            boolean[] flags = new boolean[k];
            switch (a) {
                case ADOPT_START -> {
                    vectors.adoptStart(ids, r1, flags);
                    for (int j = 0; j < k; j++) problems[ids[j]].onStartAdopted(r1[j], flags[j]);
                }
                case CLEAR -> {
                    vectors.clear(ids);
                    for (int id : ids) problems[id].onCleared();
                }
                case DIRECTION -> {
                    vectors.direction(ids, r1, r2);
                    for (int j = 0; j < k; j++) problems[ids[j]].onDirection(r1[j], r2[j]);
                }
                case TRIAL -> {
                    for (int j = 0; j < k; j++) r1[j] = problems[ids[j]].step();
                    vectors.setTrial(ids, r1, flags);
                    for (int j = 0; j < k; j++) problems[ids[j]].onTrial(flags[j]);
                }
                case LINE_SEARCH_STEP -> {
                    vectors.directionalDerivative(ids, r1, flags);
                    for (int j = 0; j < k; j++) problems[ids[j]].onDirectionalDerivative(r1[j], flags[j]);
                }
                case FINISH -> {
                    vectors.finish(ids, r1);
                    for (int j = 0; j < k; j++) problems[ids[j]].onFinished(r1[j]);
                }
                case PUSH -> {
                    for (int j = 0; j < k; j++) {
                        r1[j] = problems[ids[j]].step();
                        r2[j] = problems[ids[j]].curvature();
                    }
                    vectors.push(ids, r1, r2);
                    for (int id : ids) problems[id].onPushed();
                }
                default -> throw new IllegalStateException("not a vector operation: " + a);
            }
            return true;
        }

        private int[] waitingFor(LbfgsProblem.Action a) {
            int k = 0;
            for (LbfgsProblem p : problems) if (p.pending() == a) k++;
            int[] ids = new int[k];
            for (int p = 0, j = 0; p < problems.length; p++) if (problems[p].pending() == a) ids[j++] = p;
            return ids;
        }
    }

    private static LbfgsResult result(LbfgsProblem[] problems, double[] x, List<double[]> history, int calls) {
        int n = problems.length;
        int[] iterations = new int[n];
        int[] evaluations = new int[n];
        StopReason[] reasons = new StopReason[n];
        for (int p = 0; p < n; p++) {
            iterations[p] = problems[p].iterations();
            evaluations[p] = problems[p].evaluations();
            reasons[p] = problems[p].reason();
        }
        return new LbfgsResult(x, currentF(problems), iterations, evaluations, reasons,
                history.toArray(new double[0][]), calls);
    }

    private static double[] currentF(LbfgsProblem[] problems) {
        double[] f = new double[problems.length];
        for (int p = 0; p < problems.length; p++) f[p] = problems[p].f();
        return f;
    }

    private static int countRunning(LbfgsProblem[] problems) {
        int r = 0;
        for (LbfgsProblem p : problems) if (p.running()) r++;
        return r;
    }
}
