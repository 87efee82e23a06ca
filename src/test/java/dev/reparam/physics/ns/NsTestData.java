package dev.reparam.physics.ns;

import java.util.SplittableRandom;

/** Quick-profile setup shared by the Navier-Stokes tests: 32 x 32 cells, 8 steps, three obstacles. */
final class NsTestData {
    static final int W = 32, H = 32, STEPS = 8;
    static final double DT = 1, NU = 0.01;

    private NsTestData() {}

    static MacGrid grid() {
        return MacGrid.withRectangles(W, H, new int[] {5, 13, 9, 17}, new int[] {14, 15, 18, 19}, new int[] {23, 12, 27, 16});
    }

    /** Smooth random velocity: a few low Fourier modes per component, amplitude about 0.3. */
    static double[] smoothStates(SplittableRandom rng, MacGrid g, int problems) {
        double[] s = new double[problems * g.size()];
        for (int p = 0; p < problems; p++) {
            int off = p * g.size();
            for (int comp = 0; comp < 2; comp++) {
                for (int kx = 1; kx <= 3; kx++) {
                    for (int ky = 1; ky <= 3; ky++) {
                        double a = 0.3 / 3 * (2 * rng.nextDouble() - 1), phase = 2 * Math.PI * rng.nextDouble();
                        int nx = comp == 0 ? g.w + 1 : g.w, ny = comp == 0 ? g.h : g.h + 1;
                        double sx = comp == 0 ? 0 : 0.5, sy = comp == 0 ? 0.5 : 0;
                        int start = comp == 0 ? 0 : g.uSize();
                        for (int j = 0; j < ny; j++) {
                            for (int i = 0; i < nx; i++) {
                                double x = (i + sx) / g.w, y = (j + sy) / g.h;
                                s[off + start + j * nx + i] += a * Math.cos(2 * Math.PI * (kx * x + ky * y) + phase);
                            }
                        }
                    }
                }
            }
        }
        return s;
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
