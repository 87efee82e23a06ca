package dev.reparam.sim.ns;

/**
 * Semi-Lagrangian advection of u and v on a {@link MacGrid}: each open face at x is traced back to
 * p = x - dt vel(x), vel(x) being its own component and the bilinearly interpolated other one, and
 * takes the bilinear interpolation of its component at p. Departure points are clamped to the
 * sample range of the component (the domain, and half a cell inside it across the staggered axis).
 * Closed faces get 0.
 */
final class Advection {
    private final MacGrid g;
    private final double dt;
    /** The backtrace's interpolation of the other component (fixed position). */
    private final Bilinear cross = new Bilinear();
    /** The interpolation of the advected component at the departure point. */
    private final Bilinear departure = new Bilinear();

    Advection(MacGrid grid, double dt) {
        this.g = grid;
        this.dt = dt;
    }

    private void sampleU(double x, double y, Bilinear b) {
        b.at(0, g.w + 1, g.h, x, y - 0.5);
    }

    private void sampleV(double x, double y, Bilinear b) {
        b.at(g.uSize(), g.w, g.h + 1, x - 0.5, y);
    }

    /** out = advect(s); out must not alias s. */
    void forward(double[] s, double[] out) {
        for (int j = 0; j < g.h; j++) {
            for (int i = 0; i <= g.w; i++) {
                int f = g.u(i, j);
                if (!g.open(f)) { out[f] = 0; continue; }
                double x = i, y = j + 0.5;
                sampleV(x, y, cross);
                sampleU(x - dt * s[f], y - dt * cross.value(s), departure);
                out[f] = departure.value(s);
            }
        }
        for (int j = 0; j <= g.h; j++) {
            for (int i = 0; i < g.w; i++) {
                int f = g.v(i, j);
                if (!g.open(f)) { out[f] = 0; continue; }
                double x = i + 0.5, y = j;
                sampleU(x, y, cross);
                sampleV(x - dt * cross.value(s), y - dt * s[f], departure);
                out[f] = departure.value(s);
            }
        }
    }

    /**
     * sBar += (d advect / d s)^T outBar at state s. The output depends on s twice: through the
     * interpolated values (scatter of the departure weights) and through the departure point,
     * whose derivative in the velocity is -dt; that velocity is s at the face itself for the
     * own component and a fixed-weight interpolation for the other, so its cotangent goes back
     * through those weights too.
     */
    void adjoint(double[] s, double[] outBar, double[] sBar) {
        for (int j = 0; j < g.h; j++) {
            for (int i = 0; i <= g.w; i++) {
                int f = g.u(i, j);
                double b = outBar[f];
                if (!g.open(f) || b == 0) continue;
                double x = i, y = j + 0.5;
                sampleV(x, y, cross);
                sampleU(x - dt * s[f], y - dt * cross.value(s), departure);
                departure.scatter(sBar, b);
                // p = (x - dt u, y - dt v~): index coordinates move one-for-one with p
                sBar[f] -= dt * b * departure.dx(s);
                cross.scatter(sBar, -dt * b * departure.dy(s));
            }
        }
        for (int j = 0; j <= g.h; j++) {
            for (int i = 0; i < g.w; i++) {
                int f = g.v(i, j);
                double b = outBar[f];
                if (!g.open(f) || b == 0) continue;
                double x = i + 0.5, y = j;
                sampleU(x, y, cross);
                sampleV(x - dt * cross.value(s), y - dt * s[f], departure);
                departure.scatter(sBar, b);
                cross.scatter(sBar, -dt * b * departure.dx(s));
                sBar[f] -= dt * b * departure.dy(s);
            }
        }
    }
}
