package dev.reparam.inverse;

import dev.reparam.cuda.CudaAvailability;
import dev.reparam.cuda.CudaBackend;
import dev.reparam.cuda.CudaDtype;
import dev.reparam.nn.Linear;
import dev.reparam.nn.Tanh;
import dev.reparam.tensor.Backend;
import dev.reparam.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Supervised and NeuralAdjoint on CUDA, their iterations in memory scopes (and graphs where
 * recordable): no capture falls back, the pool takes nothing from the driver between the
 * progress reports at iterations 20 and 40, and the curves follow the CPU's (float64, 1e-6
 * relative). Needs a GPU.
 */
@Tag("gpu")
class CudaTrainingLoopsTest {
    private static final Reparameterized.Options OPTIONS = new Reparameterized.Options(40, 1e-2, 1.0, 7);

    @Test
    void supervised() {
        LinearProblems problems = LinearProblems.generate(16, 1), training = LinearProblems.generate(64, 2);
        check((backend, progress) -> new Supervised(backend, new MlpNetwork(32), OPTIONS, training)
                .solve(problems, progress), Supervised.NAME);
    }

    @Test
    void neuralAdjoint() {
        LinearProblems problems = LinearProblems.generate(8, 3), training = LinearProblems.generate(64, 4);
        NeuralAdjoint.Surrogate mlp = (in, out) -> List.of(new Linear(32), new Tanh(), new Linear(out));
        // the search has as many iterations as the training, so both phases report at 20 and 40
        check((backend, progress) -> new NeuralAdjoint(backend, mlp, OPTIONS, training,
                new NeuralAdjoint.Search(8, 40, 0.02)).solve(problems, progress), NeuralAdjoint.NAME);
    }

    /** One method's solve of fixed problems on a backend. */
    private interface Run {
        MethodResult on(Backend backend, ProgressListener progress);
    }

    private static void check(Run run, String name) {
        CudaAvailability a = CudaAvailability.probe();
        assumeTrue(a.available(), "CUDA unavailable: " + a.detail());
        MethodResult cpu = run.on(CpuBackend.INSTANCE, ProgressListener.NONE);
        List<String> notices = new ArrayList<>();
        List<String> flat = new ArrayList<>();
        MethodResult gpu;
        try (CudaBackend backend = CudaBackend.open(CudaDtype.FLOAT64)) {
            backend.setNotices(notices::add);
            long[] at20 = new long[1];
            gpu = run.on(backend, (phase, done, total, message) -> {
                if (done == 20) at20[0] = backend.driverAllocations();
                if (done == 40 && backend.driverAllocations() != at20[0]) {
                    flat.add(phase + ": " + (backend.driverAllocations() - at20[0])
                            + " driver allocations between iterations 20 and 40");
                }
            });
        }
        assertEquals(List.of(), notices, name + ": graph capture fell back");
        assertEquals(List.of(), flat, name);
        for (int it = 0; it < cpu.curve().length; it++) {
            for (int j = 0; j < cpu.curve()[it].length; j++) {
                double want = cpu.curve()[it][j], got = gpu.curve()[it][j];
                assertTrue(Math.abs(got - want) <= 1e-6 * Math.max(1e-12, Math.abs(want)),
                        name + " iteration " + it + " problem " + j + ": " + got + " vs " + want);
            }
        }
    }
}
