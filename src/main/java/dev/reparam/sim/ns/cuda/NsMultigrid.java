package dev.reparam.sim.ns.cuda;

import dev.reparam.cuda.LaunchGeometry;
import dev.reparam.sim.ns.MacGrid;

import java.util.ArrayList;
import java.util.List;

/**
 * The level hierarchy of the multigrid preconditioner (kernels/ns/ns_multigrid.cuh), built on the host
 * from the open mask: level 0 is the cell grid with the Poisson couplings of open faces; level
 * l + 1 aggregates 2 x 2 cells (ceil halving) and its couplings are the Galerkin operator of that
 * piecewise-constant aggregation, i.e. the number of open fine faces between two aggregates. So
 * walls and obstacles carry to every level exactly. Coarsening stops at 4 x 4 or fewer cells (at
 * least one coarse level), which one block per problem solves. Pure host code, tested without a device.
 */
public final class NsMultigrid {
    /** The largest coarsest level: one block per problem, one thread per cell. */
    static final int COARSEST_MAX = 4;

    /**
     * One level: w x h cells; east[c] couples c and c + 1, north[c] couples c and c + w (0 at the last column / row).
     */
    public record Level(int w, int h, int[] east, int[] north) {
        public int cells() { return w * h; }

        /** Blocks of BLOCK_THREADS cells per problem (ns_common.cuh, cell_block). */
        public int chunks() { return NsGeometry.chunks(cells()); }

        /** The diagonal of this level's operator: the sum of cell c's couplings. */
        public int diagonal(int i, int j) {
            int c = j * w + i;
            return east[c] + north[c] + (i > 0 ? east[c - 1] : 0) + (j > 0 ? north[c - w] : 0);
        }

        Level coarse() {
            int wc = (w + 1) / 2, hc = (h + 1) / 2;
            int[] e = new int[wc * hc], n = new int[wc * hc];
            for (int j = 0; j < h; j++) {
                for (int i = 0; i < w; i++) {
                    int c = j * w + i, cc = (j / 2) * wc + i / 2;
                    if (i % 2 == 1 && i + 1 < w) e[cc] += east[c];  // face between aggregates i / 2 and i / 2 + 1
                    if (j % 2 == 1 && j + 1 < h) n[cc] += north[c];
                }
            }
            return new Level(wc, hc, e, n);
        }
    }

    private NsMultigrid() {}

    /** Level 0 from the grid's open faces. */
    public static Level fine(MacGrid g) {
        int[] e = new int[g.cells()], n = new int[g.cells()];
        for (int j = 0; j < g.h; j++) {
            for (int i = 0; i < g.w; i++) {
                e[j * g.w + i] = i + 1 < g.w && g.open(g.u(i + 1, j)) ? 1 : 0;
                n[j * g.w + i] = j + 1 < g.h && g.open(g.v(i, j + 1)) ? 1 : 0;
            }
        }
        return new Level(g.w, g.h, e, n);
    }

    /**
     * Level 0, then coarser levels down to at most {@link #COARSEST_MAX} x {@link #COARSEST_MAX} (at least two levels).
     */
    public static List<Level> levels(MacGrid g) {
        List<Level> levels = new ArrayList<>();
        levels.add(fine(g));
        while (levels.size() == 1 || levels.get(levels.size() - 1).w > COARSEST_MAX
                || levels.get(levels.size() - 1).h > COARSEST_MAX) {
            levels.add(levels.get(levels.size() - 1).coarse());
        }
        if (levels.get(levels.size() - 1).cells() > LaunchGeometry.BLOCK_THREADS) {
            throw new IllegalStateException("coarsest level too large");
        }
        return levels;
    }
}
