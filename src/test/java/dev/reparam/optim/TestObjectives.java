package dev.reparam.optim;

import java.util.concurrent.atomic.AtomicInteger;

/** Batched test objectives, written with the same formulas as SciPy's so results compare to rounding. */
public final class TestObjectives {
    private TestObjectives() {}

    /** Rosenbrock as scipy.optimize.rosen / rosen_der, the same function for every problem. */
    static BatchedObjective rosenbrock(int n, int dim) {
        return new BatchedObjective() {
            public int size() { return n; }
            public int dim() { return dim; }
            public void evaluate(int[] problems, double[] x, double[] f, double[] g) {
                for (int j = 0; j < problems.length; j++) {
                    int o = j * dim;
                    double fj = 0;
                    for (int i = 0; i < dim - 1; i++) {
                        double a = x[o + i + 1] - x[o + i] * x[o + i];
                        double b = 1 - x[o + i];
                        fj += 100 * a * a + b * b;
                    }
                    f[j] = fj;
                    for (int i = 1; i < dim - 1; i++) {
                        double xm = x[o + i], xmm1 = x[o + i - 1], xmp1 = x[o + i + 1];
                        g[o + i] = 200 * (xm - xmm1 * xmm1) - 400 * (xmp1 - xm * xm) * xm - 2 * (1 - xm);
                    }
                    g[o] = -400 * x[o] * (x[o + 1] - x[o] * x[o]) - 2 * (1 - x[o]);
                    g[o + dim - 1] = 200 * (x[o + dim - 1] - x[o + dim - 2] * x[o + dim - 2]);
                }
            }
        };
    }

    /** 0.5 x'A_p x - b_p'x, one (A_p, b_p) per problem. */
    public static BatchedObjective quadratics(double[][][] a, double[][] b) {
        int dim = b[0].length;
        return new BatchedObjective() {
            public int size() { return b.length; }
            public int dim() { return dim; }
            public void evaluate(int[] problems, double[] x, double[] f, double[] g) {
                for (int j = 0; j < problems.length; j++) {
                    double[][] ap = a[problems[j]];
                    double[] bp = b[problems[j]];
                    int o = j * dim;
                    double fj = 0;
                    for (int r = 0; r < dim; r++) {
                        double ax = 0;
                        for (int c = 0; c < dim; c++) ax += ap[r][c] * x[o + c];
                        g[o + r] = ax - bp[r];
                        fj += x[o + r] * (0.5 * ax - bp[r]);
                    }
                    f[j] = fj;
                }
            }
        };
    }

    /** Wraps an objective, counting how often each problem is evaluated and checking the batch shape. */
    static final class Counting implements BatchedObjective {
        final BatchedObjective inner;
        final int[] perProblem;
        final AtomicInteger calls = new AtomicInteger();

        Counting(BatchedObjective inner) {
            this.inner = inner;
            this.perProblem = new int[inner.size()];
        }

        public int size() { return inner.size(); }
        public int dim() { return inner.dim(); }

        public void evaluate(int[] problems, double[] x, double[] f, double[] g) {
            if (x.length != problems.length * dim() || f.length != problems.length || g.length != x.length) {
                throw new AssertionError("batch arrays do not match " + problems.length + " problems");
            }
            calls.incrementAndGet();
            for (int p : problems) perProblem[p]++;
            inner.evaluate(problems, x, f, g);
        }
    }
}
