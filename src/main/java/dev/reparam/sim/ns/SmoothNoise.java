package dev.reparam.sim.ns;

import java.util.SplittableRandom;

/**
 * Smooth random velocity states: per component, the sum of the Fourier modes (kx, ky) in
 * [1, 3]^2, a cos(2 pi (kx x / W + ky y / H) + phase) with a uniform in [-A/3, A/3] and a uniform
 * phase, evaluated at the face positions. Not divergence-free; the first projection makes it so.
 */
public final class SmoothNoise {
    private static final int MAX_MODE = 3;

    private SmoothNoise() {}

    /** {@code problems} states of amplitude about A, [problems * grid.size()]. */
    public static double[] states(SplittableRandom rng, MacGrid g, int problems, double amplitude) {
        double[] s = new double[problems * g.size()];
        for (int p = 0; p < problems; p++) {
            component(rng, s, p * g.size(), g.w + 1, g.h, 0, 0.5, g, amplitude);
            component(rng, s, p * g.size() + g.uSize(), g.w, g.h + 1, 0.5, 0, g, amplitude);
        }
        return s;
    }

    /** Adds the modes to the nx x ny face array at offset whose face (i, j) lies at (i + sx, j + sy). */
    private static void component(SplittableRandom rng, double[] s, int offset, int nx, int ny, double sx, double sy,
            MacGrid g, double amplitude) {
        for (int kx = 1; kx <= MAX_MODE; kx++) {
            for (int ky = 1; ky <= MAX_MODE; ky++) {
                double a = amplitude / MAX_MODE * (2 * rng.nextDouble() - 1), phase = 2 * Math.PI * rng.nextDouble();
                for (int j = 0; j < ny; j++) {
                    for (int i = 0; i < nx; i++) {
                        double x = (i + sx) / g.w, y = (j + sy) / g.h;
                        s[offset + j * nx + i] += a * Math.cos(2 * Math.PI * (kx * x + ky * y) + phase);
                    }
                }
            }
        }
    }
}
