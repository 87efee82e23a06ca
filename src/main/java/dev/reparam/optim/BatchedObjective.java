package dev.reparam.optim;

/**
 * n independent objectives of the same dimension, evaluated together: one call computes the
 * value and gradient of every listed problem, so a simulator can run them as one batch.
 */
public interface BatchedObjective {
    /** Number of problems n. */
    int size();

    /** Number of unknowns per problem. */
    int dim();

    /**
     * Evaluates the problems {@code problems[0..k)} (indices into [0, n)) at the points
     * {@code x[k * dim]} (row j belongs to {@code problems[j]}), writing {@code f[k]} and the
     * gradients {@code g[k * dim]}.
     */
    void evaluate(int[] problems, double[] x, double[] f, double[] g);
}
