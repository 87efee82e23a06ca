package dev.reparam.sim.ns.cuda;

import dev.reparam.cuda.LaunchGeometry;
import dev.reparam.sim.ns.MacGrid;

/**
 * The sizes the Navier-Stokes kernels share with the host (kernels/ns/ns_common.cuh): faces and cells
 * per problem, the observed top half, the blocks of the cell kernels, and the open-face mask as
 * the kernels read it. Pure host code, so it is tested without a device.
 */
public final class NsGeometry {
    public final int w, h;
    /** Faces per problem (state length), cells per problem, observed faces per problem. */
    public final int size, cells, observed;
    /** Blocks of BLOCK_THREADS cells per problem of the cell kernels (CG), hence partials per problem. */
    public final int chunks;

    public NsGeometry(MacGrid g) {
        this.w = g.w;
        this.h = g.h;
        this.size = g.size();
        this.cells = g.cells();
        this.observed = g.observedSize();
        this.chunks = chunks(cells);
    }

    /**
     * Blocks of {@link LaunchGeometry#BLOCK_THREADS} cells covering one problem's cells (ns_common.cuh, cell_block).
     */
    static int chunks(int cells) {
        return (cells + LaunchGeometry.BLOCK_THREADS - 1) / LaunchGeometry.BLOCK_THREADS;
    }

    /** 1 for each open face, 0 for closed ones (walls, faces touching a solid cell). */
    public static int[] openMask(MacGrid g) {
        int[] open = new int[g.size()];
        for (int f = 0; f < open.length; f++) open[f] = g.open(f) ? 1 : 0;
        return open;
    }

    /** Launch size of the cell kernels for k problems; fails with the sizes when it exceeds a launch's grid. */
    int cellBlocks(int k) {
        long blocks = (long) k * chunks;
        if (blocks > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(k + " problems x " + chunks + " blocks exceed one launch");
        }
        return (int) blocks;
    }

    /** Launch size of the per-face kernels for k problems (grid-stride, capped). */
    int faceBlocks(int k) {
        return LaunchGeometry.elementwiseBlocks(Math.toIntExact((long) k * size));
    }
}
