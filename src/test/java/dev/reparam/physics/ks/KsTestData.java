package dev.reparam.physics.ks;

import java.util.SplittableRandom;

/** Random smooth initial states and parameters for the KS tests. */
final class KsTestData {
    private KsTestData() {}

    /** Modes 1..8 with N(0, 1/k) cosine and sine coefficients, scaled to standard deviation 1 (experiment spec). */
    static double[] initialStates(SplittableRandom rng, int count, int n) {
        double[] u = new double[count * n];
        for (int i = 0; i < count; i++) {
            for (int k = 1; k <= 8; k++) {
                double a = rng.nextGaussian() / Math.sqrt(k), b = rng.nextGaussian() / Math.sqrt(k);
                for (int j = 0; j < n; j++) {
                    double t = 2 * Math.PI * k * j / n;
                    u[i * n + j] += a * Math.cos(t) + b * Math.sin(t);
                }
            }
            double mean = 0, sq = 0;
            for (int j = 0; j < n; j++) mean += u[i * n + j] / n;
            for (int j = 0; j < n; j++) sq += (u[i * n + j] - mean) * (u[i * n + j] - mean) / n;
            for (int j = 0; j < n; j++) u[i * n + j] /= Math.sqrt(sq);
        }
        return u;
    }

    static double maxAbs(double[] x) {
        double m = 0;
        for (double v : x) m = Math.max(m, Math.abs(v));
        return m;
    }
}
