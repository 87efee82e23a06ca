package dev.reparam.tensor.cpu;

/**
 * Sums over a contiguous run of doubles with several independent accumulators. One accumulator
 * makes a sum latency-bound (one add per FP-add latency, about 4 cycles); eight chains keep
 * both add ports busy. The order of the adds depends only on the run's length, so the results
 * do not depend on the thread count.
 */
final class RowSums {
    private RowSums() {}

    /** Sum of a[from, from + len). */
    static double sum(double[] a, int from, int len) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int i = from, end = from + len;
        for (; i + 7 < end; i += 8) {
            s0 += a[i];
            s1 += a[i + 1];
            s2 += a[i + 2];
            s3 += a[i + 3];
            s4 += a[i + 4];
            s5 += a[i + 5];
            s6 += a[i + 6];
            s7 += a[i + 7];
        }
        for (; i < end; i++) s0 += a[i];
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /** Sum of (a[i] - mu)^2 over a[from, from + len). */
    static double squaredDeviations(double[] a, int from, int len, double mu) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int i = from, end = from + len;
        for (; i + 7 < end; i += 8) {
            double e0 = a[i] - mu, e1 = a[i + 1] - mu, e2 = a[i + 2] - mu, e3 = a[i + 3] - mu;
            double e4 = a[i + 4] - mu, e5 = a[i + 5] - mu, e6 = a[i + 6] - mu, e7 = a[i + 7] - mu;
            s0 += e0 * e0;
            s1 += e1 * e1;
            s2 += e2 * e2;
            s3 += e3 * e3;
            s4 += e4 * e4;
            s5 += e5 * e5;
            s6 += e6 * e6;
            s7 += e7 * e7;
        }
        for (; i < end; i++) {
            double e = a[i] - mu;
            s0 += e * e;
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }
    /** Sum of g[gFrom + i] (x[xFrom + i] - mu) for i in [0, len). */
    static double dotDeviations(double[] g, int gFrom, double[] x, int xFrom, int len, double mu) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int i = 0;
        for (; i + 7 < len; i += 8) {
            int a = gFrom + i, b = xFrom + i;
            s0 += g[a] * (x[b] - mu);
            s1 += g[a + 1] * (x[b + 1] - mu);
            s2 += g[a + 2] * (x[b + 2] - mu);
            s3 += g[a + 3] * (x[b + 3] - mu);
            s4 += g[a + 4] * (x[b + 4] - mu);
            s5 += g[a + 5] * (x[b + 5] - mu);
            s6 += g[a + 6] * (x[b + 6] - mu);
            s7 += g[a + 7] * (x[b + 7] - mu);
        }
        for (; i < len; i++) s0 += g[gFrom + i] * (x[xFrom + i] - mu);
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }
}
