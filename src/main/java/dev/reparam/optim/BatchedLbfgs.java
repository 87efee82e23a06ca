package dev.reparam.optim;

import org.apache.commons.math3.stat.StatUtils;

import java.util.ArrayList;
import java.util.List;

/**
 * L-BFGS for n independent problems advanced in lockstep, following SciPy's
 * {@code minimize(method='L-BFGS-B')} without bounds (see {@link LbfgsOptions#defaults()}).
 *
 * <p>Each problem keeps its own memory, Moré–Thuente line search and stop status
 * ({@link LbfgsProblem}); this class only schedules them. A lockstep iteration starts the
 * iteration of every running problem, then repeats rounds until all their line searches are done:
 * each round gathers the trial points of the problems that need a value and calls
 * {@link BatchedObjective#evaluate} once for all of them. A problem whose search ended waits for
 * the others, and a stopped problem is never evaluated again. Per-problem results (iterates,
 * nit, nfev) do not depend on the batch they run in.
 */
public final class BatchedLbfgs {
    private BatchedLbfgs() {}

    /**
     * @param x0       starting points, row p = x0[p*dim .. (p+1)*dim)
     * @param listener called after each lockstep iteration; may be null
     */
    public static LbfgsResult minimize(BatchedObjective objective, double[] x0, LbfgsOptions options,
                                       IterationListener listener) {
        int n = objective.size();
        int dim = objective.dim();
        if (x0.length != n * dim) {
            throw new IllegalArgumentException("x0 has " + x0.length + " values, expected " + n + " x " + dim);
        }
        LbfgsProblem[] problems = new LbfgsProblem[n];
        for (int p = 0; p < n; p++) {
            double[] row = new double[dim];
            System.arraycopy(x0, p * dim, row, 0, dim);
            problems[p] = new LbfgsProblem(row, options);
        }
        Evaluator evaluator = new Evaluator(objective, problems);

        evaluator.round(LbfgsProblem::acceptStart);
        List<double[]> history = new ArrayList<>();
        history.add(currentF(problems));

        while (countRunning(problems) > 0) {
            for (LbfgsProblem p : problems) if (p.running()) p.beginIteration();
            boolean evaluated;
            do {
                // One batched evaluation per round, until no line search of this iteration waits.
                evaluated = evaluator.round(LbfgsProblem::acceptTrial);
            } while (evaluated);
            double[] f = currentF(problems);
            history.add(f);
            if (listener != null) listener.onIteration(history.size() - 1, countRunning(problems), StatUtils.mean(f));
        }
        return result(problems, dim, history, evaluator.calls);
    }

    /** Collects the trial points of the problems waiting for a value and evaluates them in one call. */
    private static final class Evaluator {
        private final BatchedObjective objective;
        private final LbfgsProblem[] problems;
        private final int dim;
        int calls;

        Evaluator(BatchedObjective objective, LbfgsProblem[] problems) {
            this.objective = objective;
            this.problems = problems;
            this.dim = objective.dim();
        }

        interface Feed {
            void accept(LbfgsProblem problem, double f, double[] g, int offset);
        }

        /** One batched evaluation; returns false (and evaluates nothing) when no problem waits. */
        boolean round(Feed feed) {
            int k = 0;
            for (LbfgsProblem p : problems) if (p.awaitingEvaluation()) k++;
            if (k == 0) return false;
            int[] ids = new int[k];
            double[] x = new double[k * dim];
            for (int p = 0, j = 0; p < problems.length; p++) {
                if (!problems[p].awaitingEvaluation()) continue;
                ids[j] = p;
                System.arraycopy(problems[p].trialPoint(), 0, x, j * dim, dim);
                j++;
            }
            double[] f = new double[k];
            double[] g = new double[k * dim];
            objective.evaluate(ids, x, f, g);
            calls++;
            for (int j = 0; j < k; j++) feed.accept(problems[ids[j]], f[j], g, j * dim);
            return true;
        }
    }

    private static LbfgsResult result(LbfgsProblem[] problems, int dim, List<double[]> history, int calls) {
        int n = problems.length;
        double[] x = new double[n * dim];
        int[] iterations = new int[n];
        int[] evaluations = new int[n];
        StopReason[] reasons = new StopReason[n];
        for (int p = 0; p < n; p++) {
            System.arraycopy(problems[p].x(), 0, x, p * dim, dim);
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
