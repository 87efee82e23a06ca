package dev.reparam.optim;

/**
 * Outcome of {@link BatchedLbfgs#minimize}, per problem p of n (dim unknowns each).
 *
 * @param x                  final points, row p = x[p*dim .. (p+1)*dim): the last accepted iterate
 * @param f                  f at those points
 * @param iterations         iterations per problem, counted like SciPy's nit
 * @param evaluations        objective evaluations per problem, counted like SciPy's nfev
 * @param reasons            why each problem stopped
 * @param lossHistory        lossHistory[k][p] = f of problem p after lockstep iteration k
 *                           (k = 0 is the starting point); a stopped problem repeats its final f
 * @param batchedEvaluations number of calls to {@link BatchedObjective#evaluate}
 */
public record LbfgsResult(double[] x, double[] f, int[] iterations, int[] evaluations, StopReason[] reasons,
                          double[][] lossHistory, int batchedEvaluations) {

    public int size() {
        return f.length;
    }
}
