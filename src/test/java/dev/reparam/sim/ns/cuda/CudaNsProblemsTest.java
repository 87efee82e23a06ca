package dev.reparam.sim.ns.cuda;

import dev.reparam.cuda.CudaAvailability;
import dev.reparam.cuda.CudaBackend;
import dev.reparam.cuda.CudaDtype;
import dev.reparam.inverse.PlacedProblems;
import dev.reparam.inverse.Placement;
import dev.reparam.inverse.ProblemSet;
import dev.reparam.sim.ns.NsExperiment;
import dev.reparam.sim.ns.NsProblems;
import dev.reparam.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The Navier-Stokes problem set on the device: batching and backend choice without a GPU, parity with one. */
class CudaNsProblemsTest {
    @Test
    void batchesAreCappedAndNeverEmpty() {
        assertEquals(1, CudaNsProblems.batchCapacity(1, CudaNsProblems.MAX_BATCH));
        assertEquals(64, CudaNsProblems.batchCapacity(64, CudaNsProblems.MAX_BATCH));
        assertEquals(CudaNsProblems.MAX_BATCH, CudaNsProblems.batchCapacity(1000, CudaNsProblems.MAX_BATCH));
        assertEquals(2, CudaNsProblems.batchCapacity(5, 2));
        assertThrows(IllegalArgumentException.class, () -> CudaNsProblems.batchCapacity(5, 0));
    }

    @Test
    void theCpuBackendKeepsTheCpuProblems() {
        NsExperiment exp = new NsExperiment(NsProblems.Physics.QUICK);
        ProblemSet problems = exp.generate(2, 3);
        try (PlacedProblems placed = Placement.place(problems, CpuBackend.INSTANCE)) {
            assertFalse(placed instanceof CudaNsProblems, "got " + placed.getClass());
            assertFalse(placed.batchedLoss(CpuBackend.INSTANCE, placed.bounds()).capturable(), "the host loss");
        }
    }

    /**
     * Device losses and gradients against the CPU problem set at CG tolerance 1e-12, in batches of
     * two (three device rollouts for five rows, one of them short): tolerances as NsCudaParityTest's
     * rollout bounds (docs/ns.md, CUDA).
     */
    @Test
    @Tag("gpu")
    void deviceLossesAndGradientsMatchTheCpuProblemSet() {
        CudaAvailability a = CudaAvailability.probe();
        assumeTrue(a.available(), "CUDA unavailable: " + a.detail());
        double tol = 1e-12;
        NsProblems.Physics physics = NsProblems.Physics.QUICK.withCgTolerance(tol);
        NsProblems cpu = NsProblems.generate(physics, 5, 11);
        int[] rows = {4, 0, 3, 1, 2};
        double[] xi = new double[15];
        for (int j = 0; j < 5; j++) {
            xi[3 * j] = 10 + 2 * j;
            xi[3 * j + 1] = 0.3 * j - 0.5;
            xi[3 * j + 2] = 1.0 - 0.4 * j;
        }
        double[] loss = new double[5], grad = new double[15], gpuLoss = new double[5], gpuGrad = new double[15];
        cpu.lossAndGradient(rows, xi, loss, grad);
        try (CudaBackend backend = CudaBackend.open(CudaDtype.FLOAT64);
             CudaNsProblems gpu = new CudaNsProblems(cpu, backend, 2)) {
            gpu.lossAndGradient(rows, xi, gpuLoss, gpuGrad);
            assertArrayEquals(cpu.observations(), gpu.observations(), 0.0);
        }
        double steps = physics.steps();
        for (int j = 0; j < 5; j++) {
            assertEquals(loss[j], gpuLoss[j], 1e3 * steps * tol * Math.abs(loss[j]) + 1e-15, "loss " + j);
            double scale = Math.max(Math.abs(grad[3 * j]), Math.max(Math.abs(grad[3 * j + 1]),
                    Math.abs(grad[3 * j + 2])));
            for (int d = 0; d < 3; d++) {
                double g = grad[3 * j + d];
                assertTrue(Math.abs(gpuGrad[3 * j + d] - g) <= 1e4 * steps * tol * scale,
                        "gradient " + j + "," + d + ": " + gpuGrad[3 * j + d] + " vs " + g);
            }
        }
    }
}
