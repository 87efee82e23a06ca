package dev.reparam.sim.ns.cuda;

import dev.reparam.sim.ns.MacGrid;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The multigrid hierarchy the ns_mg_* kernels read (host only, no GPU). */
class NsMultigridTest {
    @Test
    void levelsHalveWithCeilingDownToFourByFour() {
        List<NsMultigrid.Level> levels = NsMultigrid.levels(MacGrid.threeObstacles(100, 100));
        int[] widths = levels.stream().mapToInt(NsMultigrid.Level::w).toArray();
        assertArrayEquals(new int[] {100, 50, 25, 13, 7, 4}, widths);
        assertEquals(40, levels.get(0).chunks());
        assertEquals(1, levels.get(5).chunks());
        assertEquals(4, NsMultigrid.levels(MacGrid.threeObstacles(32, 32)).size());
        // a grid already at the coarsest size still gets one coarse level (the V-cycle's last sweep writes r.z)
        assertEquals(2, NsMultigrid.levels(new MacGrid(3, 3, null)).size());
    }

    /**
     * Level l's coupling of two aggregates is the number of open fine faces between them, counted
     * here directly from the MacGrid (fine cell (i, j) lies in aggregate (i >> l, j >> l)).
     */
    @Test
    void couplingsCountTheOpenFineFacesBetweenAggregates() {
        for (MacGrid g : new MacGrid[] {MacGrid.threeObstacles(100, 100), MacGrid.threeObstacles(37, 23),
                MacGrid.withRectangles(20, 20, new int[] {3, 3, 9, 6}, new int[] {12, 10, 13, 19})}) {
            List<NsMultigrid.Level> levels = NsMultigrid.levels(g);
            for (int l = 0; l < levels.size(); l++) {
                NsMultigrid.Level level = levels.get(l);
                int[] east = new int[level.cells()], north = new int[level.cells()];
                for (int j = 0; j < g.h; j++) {
                    for (int i = 1; i < g.w; i++) {
                        int a = i - 1 >> l, b = i >> l;
                        if (g.open(g.u(i, j)) && a != b) east[(j >> l) * level.w() + a]++;
                    }
                }
                for (int j = 1; j < g.h; j++) {
                    for (int i = 0; i < g.w; i++) {
                        int a = j - 1 >> l, b = j >> l;
                        if (g.open(g.v(i, j)) && a != b) north[a * level.w() + (i >> l)]++;
                    }
                }
                assertArrayEquals(east, level.east(), g.w + " x " + g.h + ", level " + l + " east");
                assertArrayEquals(north, level.north(), g.w + " x " + g.h + ", level " + l + " north");
            }
        }
    }

    @Test
    void solidCellsHaveNoCouplingAndOpenInteriorCouplingsDouble() {
        MacGrid g = MacGrid.withRectangles(16, 16, new int[] {4, 4, 8, 8});
        List<NsMultigrid.Level> levels = NsMultigrid.levels(g);
        assertEquals(0, levels.get(0).diagonal(5, 5));
        assertEquals(0, levels.get(1).diagonal(2, 2), "aggregate of four solid cells");
        assertEquals(4, levels.get(0).diagonal(12, 12));
        // open interior: 2^l fine faces between neighbouring aggregates, four neighbours
        assertEquals(4 * 2, levels.get(1).diagonal(6, 6));
        assertEquals(4 * 4, levels.get(2).diagonal(2, 2));
        assertEquals(2 * 4, levels.get(2).diagonal(3, 3), "corner aggregate: two neighbours");
        assertTrue(levels.get(levels.size() - 1).cells() <= 16);
    }
}
