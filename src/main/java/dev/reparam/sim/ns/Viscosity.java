package dev.reparam.sim.ns;

/**
 * Explicit viscosity: on open faces a + dt nu L a, L the 5-point Laplacian of each component over
 * its own face array (neighbours outside the array count as 0, closed faces are 0); closed faces
 * get 0. So the step is M (I + c L) with M the open-face mask, and since L is symmetric its
 * transpose is (I + c L) M.
 */
final class Viscosity {
    private final MacGrid g;
    private final double c;

    Viscosity(MacGrid grid, double dt, double nu) {
        this.g = grid;
        this.c = dt * nu;
    }

    /** out = M (I + c L) a; out must not alias a. */
    void forward(double[] a, double[] out) {
        apply(a, out, false);
    }

    /** aBar = (I + c L) M outBar, the transpose of {@link #forward}. */
    void adjoint(double[] outBar, double[] aBar) {
        apply(outBar, aBar, true);
    }

    private void apply(double[] a, double[] out, boolean transpose) {
        component(a, out, 0, g.w + 1, g.h, transpose);
        component(a, out, g.uSize(), g.w, g.h + 1, transpose);
    }

    private void component(double[] a, double[] out, int off, int nx, int ny, boolean transpose) {
        for (int j = 0; j < ny; j++) {
            for (int i = 0; i < nx; i++) {
                int f = off + j * nx + i;
                if (!transpose && !g.open(f)) { out[f] = 0; continue; }
                double sum = -4 * in(a, f, transpose);
                if (i > 0) sum += in(a, f - 1, transpose);
                if (i < nx - 1) sum += in(a, f + 1, transpose);
                if (j > 0) sum += in(a, f - nx, transpose);
                if (j < ny - 1) sum += in(a, f + nx, transpose);
                out[f] = in(a, f, transpose) + c * sum;
            }
        }
    }

    /** Input value; the transpose masks its input instead of its output. */
    private double in(double[] a, int f, boolean transpose) {
        return transpose && !g.open(f) ? 0 : a[f];
    }
}
