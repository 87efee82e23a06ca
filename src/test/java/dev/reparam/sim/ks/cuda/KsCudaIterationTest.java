package dev.reparam.sim.ks.cuda;

import dev.reparam.cuda.CudaAvailability;
import dev.reparam.cuda.CudaBackend;
import dev.reparam.cuda.CudaDriver;
import dev.reparam.cuda.CudaDtype;
import dev.reparam.inverse.MethodResult;
import dev.reparam.inverse.ProgressListener;
import dev.reparam.inverse.Reparameterized;
import dev.reparam.sim.ks.KsExperiment;
import dev.reparam.sim.ks.KsProblems;
import dev.reparam.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A Kuramoto-Sivashinsky reparameterized solve on CUDA with the losses from the device z: graph
 * capture succeeds (no fallback notice), the captured and replayed iterations give the curve of
 * the eager ones bit for bit, the pool takes nothing from the driver once warmed up, and the
 * curve follows the CPU's (float64, 1e-6 relative after 24 iterations). Needs a GPU.
 */
@Tag("gpu")
class KsCudaIterationTest {
    @ParameterizedTest
    @EnumSource(CudaDtype.class)
    void capturedIterationsEqualEagerOnes(CudaDtype t) {
        CudaAvailability a = CudaAvailability.probe();
        assumeTrue(a.available(), "CUDA unavailable: " + a.detail());
        KsExperiment experiment = new KsExperiment(KsProblems.Physics.QUICK);
        KsProblems problems = KsProblems.generate(KsProblems.Physics.QUICK, 12, 5);
        // 14 iterations under the interpreter (progress at 10 and 14), where each takes about a second
        Reparameterized.Options options = new Reparameterized.Options(CudaDriver.interpreted() ? 14 : 24, 1e-3, 1.0, 3);
        List<String> notices = new ArrayList<>();
        MethodResult off, on;
        long[] allocations = new long[3];
        try (CudaBackend gpu = CudaBackend.open(t); CudaKsProblems device = new CudaKsProblems(problems, gpu)) {
            gpu.setNotices(notices::add);
            gpu.setGraphs(false);
            off = new Reparameterized(gpu, experiment.network(), options).solve(device, ProgressListener.NONE);
            gpu.setGraphs(true);
            // progress comes at iterations 10, 20 and 24: the pool must stay flat after the first
            ProgressListener sample = (method, done, total, message) ->
                    allocations[done == total ? 2 : (int) (done / 10) - 1] = gpu.driverAllocations();
            on = new Reparameterized(gpu, experiment.network(), options).solve(device, sample);
        }
        assertEquals(List.of(), notices, "graph capture of the KS iteration fell back");
        if (options.iterations() >= 20) {
            assertEquals(allocations[0], allocations[1], "driver allocations after warm-up");
        }
        assertEquals(allocations[0], allocations[2], "driver allocations after warm-up");
        for (int it = 0; it < options.iterations(); it++) {
            assertArrayEquals(off.curve()[it], on.curve()[it], t + " iteration " + it + ": graphs on and off differ");
        }
        if (t == CudaDtype.FLOAT64) {
            MethodResult cpu = new Reparameterized(CpuBackend.INSTANCE, experiment.network(), options)
                    .solve(problems, ProgressListener.NONE);
            for (int it = 0; it < options.iterations(); it++) {
                for (int j = 0; j < problems.size(); j++) {
                    double want = cpu.curve()[it][j], got = on.curve()[it][j];
                    assertTrue(Math.abs(got - want) <= 1e-6 * Math.abs(want),
                            "iteration " + it + " problem " + j + ": " + got + " vs " + want);
                }
            }
        }
    }
}
