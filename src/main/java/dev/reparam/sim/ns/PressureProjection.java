package dev.reparam.sim.ns;

import java.util.Arrays;

/**
 * Pressure projection on a {@link MacGrid}. With M the open-face mask, D the divergence of fluid
 * cells (dx = 1) and D_M = D M, the discrete gradient on open faces is -D_M^T, the Poisson matrix is
 * A = D_M D_M^T (per fluid cell: open-face count times p minus the neighbours across open faces,
 * so walls and obstacles are Neumann), and
 *
 * <pre>  P a = M a - D_M^T q,   A q = D_M a</pre>
 *
 * solved by conjugate gradients from q = 0 until ||A q - D_M a|| <= max(tol ||D_M a||, 1e-14 ||M a||).
 * The absolute floor stops at roundoff level: the region sums of a computed D_M a are zero only up
 * to rounding, and iterating on that inconsistent null-space part makes q grow without bound
 * (seen when projecting an already projected field). The divergence
 * after projection is exactly the CG residual, so every fluid cell is divergence-free to the
 * tolerance. A is singular (constants per connected fluid region) but the system is consistent
 * (closed walls: the divergence sums to zero over each region), which CG handles.
 *
 * <p>P is symmetric in the plain Euclidean inner product over faces (all faces have the same
 * area for dx = 1), so the projection's adjoint is the projection itself applied to the cotangent,
 * with its own CG solve. That is the adjoint of the exact projection: the forward and adjoint
 * solves each stop at the tolerance, so the gradient of the computed (inexact) map differs by
 * O(tol) relative.
 *
 * <p>Optionally preconditioned with modified incomplete Cholesky, MIC(0) (Bridson, "Fluid
 * Simulation for Computer Graphics", tau = 0.97, pivot safety sigma = 0.25): a fixed SPD
 * operator built once from the mask, so the preconditioned solve converges to the same q and the
 * projection and its adjoint are unchanged; only the iteration count changes. Or with the
 * multigrid V-cycle of {@link PoissonMultigrid} (the device's preconditioner), likewise fixed and
 * symmetric: fewer iterations than MIC(0), each dearer ({@link ProjectionPreconditioner}).
 */
final class PressureProjection {
    private static final double ROUNDOFF_FLOOR = 1e-14;
    private static final double MIC_TAU = 0.97, MIC_SIGMA = 0.25;
    private final MacGrid g;
    private final double tolerance;
    private final int maxIterations;
    private final double[] rhs, q, r, d, ad, z;
    private final ProjectionPreconditioner kind;
    /** MIC(0) factor: inverse pivots; null unless kind is MIC. */
    private final double[] precon;
    /** Null unless kind is MULTIGRID. */
    private final PoissonMultigrid multigrid;
    private long iterations;

    /** MIC(0)-preconditioned when {@code preconditioned}, else plain CG. */
    PressureProjection(MacGrid grid, double tolerance, boolean preconditioned) {
        this(grid, tolerance, preconditioned ? ProjectionPreconditioner.MIC : ProjectionPreconditioner.NONE);
    }

    PressureProjection(MacGrid grid, double tolerance, ProjectionPreconditioner kind) {
        if (!(tolerance > 0)) throw new IllegalArgumentException("CG tolerance must be > 0, got " + tolerance);
        this.g = grid;
        this.tolerance = tolerance;
        int n = grid.cells();
        this.maxIterations = 10 * n;
        this.rhs = new double[n];
        this.q = new double[n];
        this.r = new double[n];
        this.d = new double[n];
        this.ad = new double[n];
        this.z = new double[n];
        if (kind == null) throw new IllegalArgumentException("CG preconditioner must not be null");
        this.kind = kind;
        this.precon = kind == ProjectionPreconditioner.MIC ? micFactor() : null;
        this.multigrid = kind == ProjectionPreconditioner.MULTIGRID ? new PoissonMultigrid(grid) : null;
    }

    /** -A's coupling of cell (i, j) to (i + 1, j): 1 when the face between them is open. */
    private double east(int i, int j) {
        return i + 1 < g.w && g.open(g.u(i + 1, j)) ? 1 : 0;
    }

    /** -A's coupling of cell (i, j) to (i, j + 1). */
    private double north(int i, int j) {
        return j + 1 < g.h && g.open(g.v(i, j + 1)) ? 1 : 0;
    }

    private double diagonal(int i, int j) {
        if (!g.fluid(i, j)) return 0;
        return east(i, j) + north(i, j) + (i > 0 ? east(i - 1, j) : 0) + (j > 0 ? north(i, j - 1) : 0);
    }

    private double[] micFactor() {
        int w = g.w;
        double[] p = new double[g.cells()];
        for (int j = 0; j < g.h; j++) {
            for (int i = 0; i < w; i++) {
                int c = j * w + i;
                double diag = diagonal(i, j);
                if (diag == 0) continue; // solid or isolated cell: rhs is 0 there, so z stays 0
                double e = diag;
                if (i > 0) {
                    double a = east(i - 1, j) * p[c - 1];
                    e -= a * a + MIC_TAU * east(i - 1, j) * north(i - 1, j) * p[c - 1] * p[c - 1];
                }
                if (j > 0) {
                    double b = north(i, j - 1) * p[c - w];
                    e -= b * b + MIC_TAU * north(i, j - 1) * east(i, j - 1) * p[c - w] * p[c - w];
                }
                if (e < MIC_SIGMA * diag) e = diag;
                p[c] = 1 / Math.sqrt(e);
            }
        }
        return p;
    }

    /** z = M r for the chosen preconditioner (not NONE). */
    void precondition(double[] r, double[] z) {
        if (multigrid != null) multigrid.apply(r, z);
        else micSolve(r, z);
    }

    /** z = (L L^T)^{-1} r with the MIC(0) factor L: forward then backward substitution. */
    private void micSolve(double[] r, double[] z) {
        int w = g.w;
        for (int j = 0; j < g.h; j++) {
            for (int i = 0; i < w; i++) {
                int c = j * w + i;
                double t = r[c];
                // couplings of -A are +1, so L's off-diagonal entries are -precon
                if (i > 0) t += east(i - 1, j) * precon[c - 1] * z[c - 1];
                if (j > 0) t += north(i, j - 1) * precon[c - w] * z[c - w];
                z[c] = t * precon[c];
            }
        }
        for (int j = g.h - 1; j >= 0; j--) {
            for (int i = w - 1; i >= 0; i--) {
                int c = j * w + i;
                double t = z[c];
                if (i + 1 < w) t += east(i, j) * precon[c] * z[c + 1];
                if (j + 1 < g.h) t += north(i, j) * precon[c] * z[c + w];
                z[c] = t * precon[c];
            }
        }
    }

    ProjectionPreconditioner preconditioner() { return kind; }

    /** Total CG iterations of this instance so far. */
    long iterations() { return iterations; }

    /** out = P a (out may alias a). */
    void apply(double[] a, double[] out) {
        divergence(a, rhs);
        double aa = 0;
        for (int f = 0; f < g.size(); f++) if (g.open(f)) aa += a[f] * a[f];
        solve(ROUNDOFF_FLOOR * ROUNDOFF_FLOOR * aa);
        int w = g.w;
        for (int j = 0; j < g.h; j++) {
            for (int i = 0; i <= w; i++) {
                int f = g.u(i, j);
                out[f] = g.open(f) ? a[f] - q[j * w + i - 1] + q[j * w + i] : 0;
            }
        }
        for (int j = 0; j <= g.h; j++) {
            for (int i = 0; i < w; i++) {
                int f = g.v(i, j);
                out[f] = g.open(f) ? a[f] - q[(j - 1) * w + i] + q[j * w + i] : 0;
            }
        }
    }

    /** div[c] = (D_M a)_c over fluid cells; 0 in solid cells. */
    void divergence(double[] a, double[] div) {
        int w = g.w;
        for (int j = 0; j < g.h; j++) {
            for (int i = 0; i < w; i++) {
                div[j * w + i] = g.fluid(i, j)
                        ? open(a, g.u(i + 1, j)) - open(a, g.u(i, j)) + open(a, g.v(i, j + 1)) - open(a, g.v(i, j)) : 0;
            }
        }
    }

    private double open(double[] a, int f) {
        return g.open(f) ? a[f] : 0;
    }

    /** (Preconditioned) conjugate gradients for A q = rhs from q = 0, until |r|^2 <= max(tol^2 |rhs|^2, floor2). */
    private void solve(double floor2) {
        int n = q.length;
        Arrays.fill(q, 0);
        System.arraycopy(rhs, 0, r, 0, n);
        boolean pre = kind != ProjectionPreconditioner.NONE;
        double[] zr = pre ? z : r;
        if (pre) precondition(r, z);
        System.arraycopy(zr, 0, d, 0, n);
        double rr = dot(r, r), rz = dot(r, zr);
        double stop = Math.max(tolerance * tolerance * rr, floor2);
        for (int it = 0; rr > stop; it++) {
            if (it == maxIterations) {
                throw new IllegalStateException("CG did not converge in " + maxIterations + " iterations");
            }
            poisson(d, ad);
            double alpha = rz / dot(d, ad);
            for (int c = 0; c < n; c++) {
                q[c] += alpha * d[c];
                r[c] -= alpha * ad[c];
            }
            rr = dot(r, r);
            if (pre) precondition(r, z);
            double rzNew = dot(r, zr);
            double beta = rzNew / rz;
            rz = rzNew;
            for (int c = 0; c < n; c++) d[c] = zr[c] + beta * d[c];
            iterations++;
        }
    }

    /** out = A p: for each open face, the difference of its two cells' p goes to both cells. */
    private void poisson(double[] p, double[] out) {
        int w = g.w;
        Arrays.fill(out, 0);
        for (int j = 0; j < g.h; j++) {
            for (int i = 1; i < w; i++) {
                if (!g.open(g.u(i, j))) continue;
                int c = j * w + i;
                double flux = p[c] - p[c - 1];
                out[c] += flux;
                out[c - 1] -= flux;
            }
        }
        for (int j = 1; j < g.h; j++) {
            for (int i = 0; i < w; i++) {
                if (!g.open(g.v(i, j))) continue;
                int c = j * w + i;
                double flux = p[c] - p[c - w];
                out[c] += flux;
                out[c - w] -= flux;
            }
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
