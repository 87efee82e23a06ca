package dev.reparam.sim.ns;

/**
 * The force at t = 0: every open face at (x, y) gets its component of v0 times the Gaussian
 * profile exp(-((x - x0)^2 + (y - Y)^2) / (2 R^2)), Y = {@link #CENTRE_Y}, R = {@link #RADIUS};
 * parameters xi = (x0, v0x, v0y).
 */
final class GaussianForce {
    static final double CENTRE_Y = 15, RADIUS = 5;
    private static final double INV_2R2 = 1 / (2 * RADIUS * RADIUS);

    private GaussianForce() {}

    private static double profile(double x, double y, double x0) {
        double dx = x - x0, dy = y - CENTRE_Y;
        return Math.exp(-(dx * dx + dy * dy) * INV_2R2);
    }

    /** state += force(xi) on open faces. */
    static void apply(MacGrid g, double[] state, double x0, double vx, double vy) {
        for (int j = 0; j < g.h; j++) {
            for (int i = 0; i <= g.w; i++) {
                int f = g.u(i, j);
                if (g.open(f)) state[f] += vx * profile(i, j + 0.5, x0);
            }
        }
        for (int j = 0; j <= g.h; j++) {
            for (int i = 0; i < g.w; i++) {
                int f = g.v(i, j);
                if (g.open(f)) state[f] += vy * profile(i + 0.5, j, x0);
            }
        }
    }

    /**
     * grad[off..off + 3) = (d force / d xi)^T bar; d profile / d x0 = profile (x - x0) / R^2.
     * The state cotangent passes through the addition unchanged.
     */
    static void gradient(MacGrid g, double[] bar, double x0, double vx, double vy, double[] grad, int off) {
        double gx0 = 0, gvx = 0, gvy = 0;
        for (int j = 0; j < g.h; j++) {
            for (int i = 0; i <= g.w; i++) {
                int f = g.u(i, j);
                if (!g.open(f)) continue;
                double b = bar[f] * profile(i, j + 0.5, x0);
                gvx += b;
                gx0 += vx * b * (i - x0) * 2 * INV_2R2;
            }
        }
        for (int j = 0; j <= g.h; j++) {
            for (int i = 0; i < g.w; i++) {
                int f = g.v(i, j);
                if (!g.open(f)) continue;
                double b = bar[f] * profile(i + 0.5, j, x0);
                gvy += b;
                gx0 += vy * b * (i + 0.5 - x0) * 2 * INV_2R2;
            }
        }
        grad[off] = gx0;
        grad[off + 1] = gvx;
        grad[off + 2] = gvy;
    }
}
