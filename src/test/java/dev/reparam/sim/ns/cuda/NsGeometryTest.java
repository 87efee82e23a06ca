package dev.reparam.sim.ns.cuda;

import dev.reparam.cuda.LaunchGeometry;
import dev.reparam.sim.ns.MacGrid;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The host side of the kernels' layout: sizes, chunks, the open mask, launch sizes (no GPU). */
class NsGeometryTest {
    @Test
    void sizesFollowTheMacGrid() {
        MacGrid g = MacGrid.threeObstacles(100, 100);
        NsGeometry geo = new NsGeometry(g);
        assertEquals(101 * 100 + 100 * 101, geo.size);
        assertEquals(10_000, geo.cells);
        assertEquals(g.observedSize(), geo.observed);
        // 10,000 cells in blocks of 256: 39 full blocks and one of 16
        assertEquals(40, geo.chunks);
        assertEquals(64 * 40, geo.cellBlocks(64));
    }

    @Test
    void chunksCoverTheCellsWithoutAnEmptyBlock() {
        for (int cells : new int[] {1, 255, 256, 257, 1024, 10_000}) {
            int c = NsGeometry.chunks(cells);
            assertTrue((long) c * LaunchGeometry.BLOCK_THREADS >= cells, cells + " cells");
            assertTrue((long) (c - 1) * LaunchGeometry.BLOCK_THREADS < cells, cells + " cells");
        }
    }

    @Test
    void openMaskIsTheGridsOpenFaces() {
        MacGrid g = MacGrid.threeObstacles(32, 32);
        int[] open = NsGeometry.openMask(g);
        int count = 0;
        for (int f = 0; f < g.size(); f++) {
            assertEquals(g.open(f) ? 1 : 0, open[f], "face " + f);
            count += open[f];
        }
        // walls are closed: u(0, j), u(W, j), v(i, 0), v(i, H)
        for (int j = 0; j < g.h; j++) assertEquals(0, open[g.u(0, j)] + open[g.u(g.w, j)]);
        for (int i = 0; i < g.w; i++) assertEquals(0, open[g.v(i, 0)] + open[g.v(i, g.h)]);
        assertTrue(count > 0 && count < (g.w - 1) * g.h + g.w * (g.h - 1), "obstacles close interior faces");
    }

    @Test
    void tooManyBlocksForOneLaunchIsAnError() {
        NsGeometry geo = new NsGeometry(MacGrid.threeObstacles(100, 100));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> geo.cellBlocks(Integer.MAX_VALUE / 2));
        assertTrue(e.getMessage().contains("exceed one launch"), e.getMessage());
    }
}
