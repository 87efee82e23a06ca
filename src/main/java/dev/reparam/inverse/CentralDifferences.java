package dev.reparam.inverse;

import dev.reparam.tensor.BatchedLoss;

/**
 * Central differences of batched per-problem losses: the check every hand-written adjoint here is
 * held to, and the way to check a user's own {@link ProblemSet} gradient. Problems are
 * independent, so every problem's d-th unknown is perturbed in the same batched call: 2 * dim
 * evaluations in all, whatever n is.
 */
public final class CentralDifferences {
    /** Losses of all problems at {@code params} (n * dim values, row-major) into {@code loss} (n values). */
    @FunctionalInterface
    public interface BatchedLoss {
        void evaluate(double[] params, double[] loss);
    }

    private CentralDifferences() {}

    /** d loss_i / d params[i * dim + d] for every problem i and unknown d, with step h. */
    public static double[] gradient(BatchedLoss f, double[] params, int dim, double h) {
        int n = params.length / dim;
        double[] fd = new double[params.length], up = new double[n], down = new double[n];
        for (int d = 0; d < dim; d++) {
            double[] plus = params.clone(), minus = params.clone();
            for (int i = 0; i < n; i++) {
                plus[i * dim + d] += h;
                minus[i * dim + d] -= h;
            }
            f.evaluate(plus, up);
            f.evaluate(minus, down);
            for (int i = 0; i < n; i++) fd[i * dim + d] = (up[i] - down[i]) / (2 * h);
        }
        return fd;
    }

    /** The same for a problem set's own losses at the physical parameters {@code xi} of all its problems. */
    public static double[] gradient(ProblemSet problems, double[] xi, double h) {
        int n = problems.size(), dim = problems.dim();
        int[] all = ProblemSets.all(n);
        double[] unused = new double[n * dim];
        return gradient((p, loss) -> problems.lossAndGradient(all, p, loss, unused), xi, dim, h);
    }
}
