package dev.reparam.sim.ks.cuda;

import dev.reparam.sim.ks.KsProblems;

import java.util.SplittableRandom;

/**
 * Random Kuramoto-Sivashinsky problems for the CUDA checks: smooth initial states (modes 1..8 with
 * N(0, 1/k) coefficients, standard deviation 1, as the experiment draws them), targets of the same
 * kind, parameters drawn from the experiment's prior, and rows that visit the problems out of order.
 * Problem {@code blown} (if >= 0) starts with amplitude 1e3, which blows up within a few steps at dt = 0.25.
 */
record KsRandomProblems(int n, int count, double[] u0s, double[] targets, int[] rows, double[] params) {

    static KsRandomProblems draw(long seed, int n, int count, int k, int blown) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] u0s = KsProblems.initialStates(rng, count, n), targets = KsProblems.initialStates(rng, count, n);
        if (blown >= 0) for (int j = 0; j < n; j++) u0s[blown * n + j] *= 1e3;
        int[] rows = new int[k];
        double[] params = new double[2 * k];
        for (int j = 0; j < k; j++) {
            rows[j] = (int) ((j * 7L + 3) % count); // out of order, repeats when k > count
            params[2 * j] = -1 + 2 * rng.nextDouble();
            params[2 * j + 1] = 0.5 + rng.nextDouble();
        }
        return new KsRandomProblems(n, count, u0s, targets, rows, params);
    }

    int k() { return rows.length; }

    /** The initial states of the rows, in row order ([k * N]): what a simulate call takes. */
    double[] rowStates() {
        double[] out = new double[k() * n];
        for (int j = 0; j < k(); j++) System.arraycopy(u0s, rows[j] * n, out, j * n, n);
        return out;
    }

    double[] alphas() {
        double[] a = new double[k()];
        for (int j = 0; j < k(); j++) a[j] = params[2 * j];
        return a;
    }

    double[] betas() {
        double[] b = new double[k()];
        for (int j = 0; j < k(); j++) b[j] = params[2 * j + 1];
        return b;
    }

    /** The same problems with every value rounded to float (what the float32 kernels see). */
    KsRandomProblems roundedToFloat() {
        return new KsRandomProblems(n, count, round(u0s), round(targets), rows, round(params));
    }

    private static double[] round(double[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) out[i] = (float) x[i];
        return out;
    }
}
