package dev.reparam.sim.ns;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Geometric multigrid V-cycle for the projection's Poisson matrix A, used as a CG preconditioner
 * z = M r. The same cycle as the device's kernels/ns/ns_multigrid.cuh (levels built as in
 * dev.reparam.sim.ns.cuda.NsMultigrid):
 * <ul>
 *   <li>levels by 2x2 piecewise-constant aggregation with Galerkin coarse operators P^T A P, whose
 *       couplings are the counts of open faces between two aggregates, so walls and obstacles are
 *       carried exactly; down to at most 4 x 4 cells;</li>
 *   <li>one red-black Gauss-Seidel sweep (red, black) before the coarse correction and the reversed
 *       one (black, red) after it, from z = 0;</li>
 *   <li>coarse correction times {@link #COARSE_SCALE} (fewer iterations, see the device table in
 *       docs/ns.md);</li>
 *   <li>coarsest level by {@link #COARSEST_SWEEPS} symmetric Gauss-Seidel sweeps from zero, which
 *       solve its at most 16 unknowns to well below the CG tolerance.</li>
 * </ul>
 * Pre- and post-smoothing are each other's adjoints, restriction is the transpose of prolongation
 * and the coarsest solve is a fixed symmetric sweep sequence, so M is a fixed symmetric linear
 * operator, as CG needs; it is positive on the range of A, so CG converges to the same pressure as
 * with any other preconditioner. Holds its own work arrays: not thread-safe, one per projection.
 */
final class PoissonMultigrid {
    static final double COARSE_SCALE = 1.8;
    static final int COARSEST_SWEEPS = 30;

    /** One level: A's couplings to the east and north neighbours (0 = closed) and its diagonal. */
    private static final class Level {
        final int w, h;
        final double[] east, north, diag;
        /** Work arrays: the right-hand side and solution on this level (coarse levels only), A z. */
        final double[] r, z, az;

        Level(int w, int h) {
            this.w = w;
            this.h = h;
            int n = w * h;
            east = new double[n];
            north = new double[n];
            diag = new double[n];
            r = new double[n];
            z = new double[n];
            az = new double[n];
        }

        /** Galerkin P^T A P with P the piecewise-constant 2x2 aggregation: couplings add up. */
        Level coarse() {
            Level c = new Level((w + 1) / 2, (h + 1) / 2);
            for (int j = 0; j < h; j++) {
                for (int i = 0; i < w; i++) {
                    int f = j * w + i, cc = (j / 2) * c.w + i / 2;
                    // only couplings that cross an aggregate boundary survive
                    if (i % 2 == 1 && i + 1 < w) c.east[cc] += east[f];
                    if (j % 2 == 1 && j + 1 < h) c.north[cc] += north[f];
                }
            }
            c.fillDiag();
            return c;
        }

        void fillDiag() {
            for (int j = 0; j < h; j++) {
                for (int i = 0; i < w; i++) {
                    int c = j * w + i;
                    diag[c] = east[c] + north[c] + (i > 0 ? east[c - 1] : 0) + (j > 0 ? north[c - w] : 0);
                }
            }
        }

        double neighbours(double[] x, int i, int j) {
            int c = j * w + i;
            double s = 0;
            if (i > 0) s += east[c - 1] * x[c - 1];
            if (i + 1 < w) s += east[c] * x[c + 1];
            if (j > 0) s += north[c - w] * x[c - w];
            if (j + 1 < h) s += north[c] * x[c + w];
            return s;
        }

        /** out = A x. */
        void apply(double[] x, double[] out) {
            for (int j = 0; j < h; j++) {
                for (int i = 0; i < w; i++) out[j * w + i] = diag[j * w + i] * x[j * w + i] - neighbours(x, i, j);
            }
        }

        /** Gauss-Seidel over the cells of one colour ((i + j) % 2 == colour); solid cells stay 0. */
        void gaussSeidel(double[] z, double[] r, int colour) {
            for (int j = 0; j < h; j++) {
                for (int i = (j + colour) % 2; i < w; i += 2) {
                    int c = j * w + i;
                    if (diag[c] != 0) z[c] = (r[c] + neighbours(z, i, j)) / diag[c];
                }
            }
        }
    }

    private final List<Level> levels = new ArrayList<>();

    PoissonMultigrid(MacGrid g) {
        Level fine = new Level(g.w, g.h);
        for (int j = 0; j < g.h; j++) {
            for (int i = 0; i < g.w; i++) {
                int c = j * g.w + i;
                fine.east[c] = i + 1 < g.w && g.open(g.u(i + 1, j)) ? 1 : 0;
                fine.north[c] = j + 1 < g.h && g.open(g.v(i, j + 1)) ? 1 : 0;
            }
        }
        fine.fillDiag();
        levels.add(fine);
        for (Level l = fine; l.w > 4 || l.h > 4; ) {
            l = l.coarse();
            levels.add(l);
        }
    }

    /** Number of levels, the finest included. */
    int depth() { return levels.size(); }

    /** z = M r (z must not alias r). */
    void apply(double[] r, double[] z) {
        vcycle(0, r, z);
    }

    private void vcycle(int k, double[] r, double[] z) {
        Level l = levels.get(k);
        Arrays.fill(z, 0, l.w * l.h, 0);
        if (k + 1 == levels.size()) {
            for (int s = 0; s < COARSEST_SWEEPS; s++) {
                l.gaussSeidel(z, r, 0);
                l.gaussSeidel(z, r, 1);
                l.gaussSeidel(z, r, 1);
                l.gaussSeidel(z, r, 0);
            }
            return;
        }
        l.gaussSeidel(z, r, 0);
        l.gaussSeidel(z, r, 1);
        l.apply(z, l.az);
        Level c = levels.get(k + 1);
        Arrays.fill(c.r, 0);
        for (int j = 0; j < l.h; j++) {
            for (int i = 0; i < l.w; i++) {
                int f = j * l.w + i;
                if (l.diag[f] != 0) c.r[(j / 2) * c.w + i / 2] += r[f] - l.az[f];
            }
        }
        vcycle(k + 1, c.r, c.z);
        for (int j = 0; j < l.h; j++) {
            for (int i = 0; i < l.w; i++) {
                int f = j * l.w + i;
                if (l.diag[f] != 0) z[f] += COARSE_SCALE * c.z[(j / 2) * c.w + i / 2];
            }
        }
        l.gaussSeidel(z, r, 1);
        l.gaussSeidel(z, r, 0);
    }
}
