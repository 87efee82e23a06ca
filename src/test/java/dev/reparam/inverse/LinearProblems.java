package dev.reparam.inverse;

import dev.reparam.tensor.Bounds;

import java.util.SplittableRandom;

/**
 * A convex, trivially learnable test problem: y = A xi + b (four observations, two unknowns in
 * boxes of very different size), loss = mean squared error. xi = A^+ (y - b) is linear in y.
 */
final class LinearProblems implements ProblemSet {
    static final double[][] A = {{1, 0.5}, {-0.5, 1}, {2, 0}, {0, -1}};
    static final double[] B = {0.3, -0.2, 0.0, 1.0};
    static final Bounds BOUNDS = new Bounds(new double[] {-1, 0}, new double[] {1, 10});

    private final double[] y, truth;
    private final boolean labelled;

    private LinearProblems(double[] y, double[] truth, boolean labelled) {
        this.y = y;
        this.truth = truth;
        this.labelled = labelled;
    }

    /** The same problems as a user would hand them over: without their true parameters. */
    LinearProblems unlabelled() {
        return new LinearProblems(y, truth, false);
    }

    /** n problems with xi uniform in the bounds, noise-free. */
    static LinearProblems generate(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] truth = new double[n * 2], y = new double[n * A.length];
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < 2; d++) truth[i * 2 + d] = BOUNDS.lo(d)
                    + (BOUNDS.hi(d) - BOUNDS.lo(d)) * rng.nextDouble();
            forward(truth, i, y, i);
        }
        return new LinearProblems(y, truth, true);
    }

    private static void forward(double[] xi, int row, double[] out, int outRow) {
        for (int k = 0; k < A.length; k++) {
            out[outRow * A.length + k] = A[k][0] * xi[row * 2] + A[k][1] * xi[row * 2 + 1] + B[k];
        }
    }

    @Override
    public int size() {
        return truth.length / 2;
    }

    @Override
    public Bounds bounds() {
        return BOUNDS;
    }

    @Override
    public void lossAndGradient(int[] problems, double[] xi, double[] loss, double[] gradient) {
        double[] sim = new double[A.length];
        for (int j = 0; j < problems.length; j++) {
            forward(xi, j, sim, 0);
            loss[j] = 0;
            gradient[j * 2] = gradient[j * 2 + 1] = 0;
            for (int k = 0; k < A.length; k++) {
                double r = sim[k] - y[problems[j] * A.length + k];
                loss[j] += r * r / A.length;
                gradient[j * 2] += 2 * r * A[k][0] / A.length;
                gradient[j * 2 + 1] += 2 * r * A[k][1] / A.length;
            }
        }
    }

    @Override
    public double[] observations() {
        return y;
    }

    @Override
    public int[] observationShape() {
        return new int[] {A.length};
    }

    @Override
    public double[] trueParameters() {
        return labelled ? truth.clone() : null;
    }
}
