package dev.reparam.bench;

import dev.reparam.inverse.CentralDifferences;
import dev.reparam.inverse.ProblemSets;
import dev.reparam.io.Npy;
import dev.reparam.io.NpyArray;
import dev.reparam.sim.ns.MacGrid;
import dev.reparam.sim.ns.NavierStokes;
import dev.reparam.sim.ns.NsProblems;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The files bench/torch/ns_step.py --check reads: shapes, and that they belong together. */
class NsTorchParityExportTest {
    private static final int N = 2;
    private static final NsProblems.Physics PHYSICS = NsProblems.Physics.QUICK.withCgTolerance(1e-12);

    @TempDir
    Path dir;

    private NpyArray read(String name) {
        return Npy.read(dir.resolve(name + ".npy"));
    }

    @Test
    void filesHaveTheDocumentedShapesAndBelongTogether() {
        NsTorchParityExport.export(dir, PHYSICS, N, 3);
        MacGrid g = PHYSICS.grid();
        int size = g.size(), obs = g.observedSize();
        assertArrayEquals(new double[] {32, 32, 1, 8, 0.01, 1e-12, 3}, read("physics").data());
        NpyArray solid = read("solid");
        assertArrayEquals(new int[] {32, 32}, solid.shape());
        int solidCells = 0;
        for (int j = 0; j < g.h; j++) {
            for (int i = 0; i < g.w; i++) {
                assertEquals(g.fluid(i, j) ? 0 : 1, solid.get(j * g.w + i), "cell " + i + ", " + j);
                solidCells += (int) solid.get(j * g.w + i);
            }
        }
        assertEquals(3 * 3 * 3, solidCells); // three 3 x 3 obstacles at 32 x 32
        for (String name : new String[] {"initial", "step1", "final", "grad_initial"}) {
            assertArrayEquals(new int[] {N, size}, read(name).shape(), name);
        }
        assertArrayEquals(new int[] {N, 3}, read("params").shape());
        assertArrayEquals(new int[] {N, obs}, read("targets").shape());
        assertArrayEquals(new int[] {N}, read("loss").shape());
        assertArrayEquals(new int[] {N, 3}, read("grad").shape());

        // the loss is that of the exported final state against the exported targets
        double[] finals = read("final").data(), targets = read("targets").data(), loss = read("loss").data();
        double[] observed = g.observe(finals, N);
        for (int p = 0; p < N; p++) {
            double sum = 0;
            for (int k = 0; k < obs; k++) sum += Math.pow(observed[p * obs + k] - targets[p * obs + k], 2);
            assertEquals(sum / obs, loss[p], 1e-12 * loss[p], "loss of problem " + p);
        }

        // the gradient is the loss's at the exported parameters (central differences)
        double[] params = read("params").data(), initial = read("initial").data(), grad = read("grad").data();
        NavierStokes ns = PHYSICS.solver();
        int[] rows = ProblemSets.all(N);
        double[] fd = CentralDifferences.gradient((x, l) ->
                ns.lossAndGradient(rows, x, initial, targets, l, new double[3 * N]), params, 3, 1e-5);
        for (int i = 0; i < 3 * N; i++) assertEquals(fd[i], grad[i], 1e-4 * Math.abs(fd[i]), "gradient entry " + i);

        // the bottom half of the initial states is the unknown part, exported as 0
        for (int p = 0; p < N; p++) {
            for (int j = 0; j < g.h / 2; j++) assertEquals(0, initial[p * size + g.u(5, j)], "u(5, " + j + ")");
        }
        for (String step : new String[] {"step1", "rollout"}) {
            NpyArray mic = read("cg_" + step + "_mic"), plain = read("cg_" + step + "_plain");
            for (int p = 0; p < N; p++) {
                assertTrue(mic.get(p) > 0 && mic.get(p) < plain.get(p),
                        step + ": MIC(0) " + mic.get(p) + ", plain " + plain.get(p));
            }
        }
    }
}
