package dev.reparam.sim.ns;

import java.util.SplittableRandom;

/** Quick-profile setup shared by the Navier-Stokes tests: 32 x 32 cells, 8 steps, three obstacles. */
final class NsTestData {
    static final int W = 32, H = 32, STEPS = 8;
    static final double DT = 1, NU = 0.01;

    private NsTestData() {}

    static MacGrid grid() {
        return MacGrid.threeObstacles(W, H);
    }

    /** Smooth random velocity, amplitude about 0.3 (the experiment's initial states). */
    static double[] smoothStates(SplittableRandom rng, MacGrid g, int problems) {
        return SmoothNoise.states(rng, g, problems, 0.3);
    }

    static double[] noise(SplittableRandom rng, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = 2 * rng.nextDouble() - 1;
        return a;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    static double[] axpy(double[] x, double alpha, double[] d) {
        double[] r = x.clone();
        for (int i = 0; i < r.length; i++) r[i] += alpha * d[i];
        return r;
    }
}
