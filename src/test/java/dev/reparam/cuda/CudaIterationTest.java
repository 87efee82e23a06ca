package dev.reparam.cuda;

import dev.reparam.experiments.Experiment;
import dev.reparam.experiments.Experiments;
import dev.reparam.inverse.MethodResult;
import dev.reparam.inverse.ProblemSet;
import dev.reparam.inverse.ProgressListener;
import dev.reparam.inverse.Reparameterized;
import dev.reparam.optim.Adam;
import dev.reparam.optim.AdamOptions;
import dev.reparam.tensor.Backend;
import dev.reparam.tensor.cpu.CpuBackend;
import dev.reparam.tensor.IterationRunner;
import dev.reparam.tensor.LrSchedule;
import dev.reparam.tensor.Tensor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A reparameterized iteration on the CUDA backend without host round trips: the whole wave
 * packet solve against the CPU, CUDA graphs on against off (bit-identical: the same kernels in
 * the same order), no driver allocation once warmed up, and the device-side pieces it needs
 * (Adam's clipping and step count, batch norm's running statistics) against their CPU
 * references. Needs a GPU.
 */
@Tag("gpu")
class CudaIterationTest {
    private static void assumeGpu() {
        CudaAvailability a = CudaAvailability.probe();
        assumeTrue(a.available(), "CUDA unavailable: " + a.detail());
    }

    @Test
    void wavePacketSolveMatchesTheCpuWithAndWithoutGraphs() {
        assumeGpu();
        Experiment exp = Experiments.byName("wavepacket");
        ProblemSet problems = exp.generate(48, 3);
        // 10 iterations under the interpreter, where each takes about a second
        Reparameterized.Options options = new Reparameterized.Options(CudaDriver.interpreted() ? 10 : 25, 1e-4, 1.0, 7);
        MethodResult cpu = new Reparameterized(CpuBackend.INSTANCE, exp.network(), options)
                .solve(problems, ProgressListener.NONE);
        MethodResult off, on;
        List<String> notices = new ArrayList<>();
        try (CudaBackend gpu = CudaBackend.open(CudaDtype.FLOAT64)) {
            gpu.setNotices(notices::add);
            gpu.setGraphs(false);
            off = new Reparameterized(gpu, exp.network(), options).solve(problems, ProgressListener.NONE);
            gpu.setGraphs(true);
            on = new Reparameterized(gpu, exp.network(), options).solve(problems, ProgressListener.NONE);
        }
        assertEquals(List.of(), notices, "graph capture fell back");
        for (int it = 0; it < options.iterations(); it++) {
            assertArrayEquals(off.curve()[it], on.curve()[it], "iteration " + it + ": graphs on and off differ");
            assertClose(cpu.curve()[it], off.curve()[it], 1e-8, "iteration " + it + " against the CPU");
        }
    }

    @Test
    void aWarmedUpIterationAllocatesNothingAndIsReplayed() {
        assumeGpu();
        try (CudaBackend gpu = CudaBackend.open(CudaDtype.FLOAT32)) {
            Tensor x = gpu.fromHost(new double[] {1, 2, 3, 4}, 4);
            Tensor acc = gpu.zeros(4);
            int[] bodyCalls = {0};
            try (CudaIterations runner = (CudaIterations) gpu.iterationRunner(true)) {
                long allocationsAfterWarmUp = 0;
                for (int it = 0; it < 6; it++) {
                    double[] out = runner.run("k", () -> {
                        bodyCalls[0]++;
                        Tensor t = gpu.zeros(4); // a temporary of the iteration
                        gpu.add(x, acc, t);
                        gpu.copy(t, acc);
                        return t;
                    });
                    assertArrayEquals(new double[] {it + 1, 2 * (it + 1), 3 * (it + 1), 4 * (it + 1)}, out,
                            "iteration " + it);
                    if (it == 1) allocationsAfterWarmUp = gpu.driverAllocations();
                }
                assertTrue(runner.replaying());
                assertEquals(2, bodyCalls[0], "the body ran eagerly once and was captured once");
                assertEquals(allocationsAfterWarmUp, gpu.driverAllocations());
                runner.run("other key", () -> gpu.zeros(1)); // a new key records again
                assertTrue(!runner.replaying());
            }
        }
    }

    @Test
    void aHostReadInsideACapturedBodyFallsBackWithOneNotice() {
        assumeGpu();
        List<String> notices = new ArrayList<>();
        try (CudaBackend gpu = CudaBackend.open(CudaDtype.FLOAT64)) {
            gpu.setNotices(notices::add);
            Tensor x = gpu.fromHost(new double[] {1, 2}, 2);
            try (IterationRunner runner = gpu.iterationRunner(true)) {
                for (int it = 0; it < 3; it++) {
                    double[] out = runner.run("k", () -> {
                        Tensor t = gpu.zeros(2);
                        gpu.scale(x, gpu.sum(x), t); // sum reads the device: not capturable
                        return t;
                    });
                    assertArrayEquals(new double[] {3, 6}, out);
                }
            }
        }
        assertEquals(1, notices.size(), notices.toString());
    }

    @ParameterizedTest
    @EnumSource(CudaDtype.class)
    void adamOnTheDeviceClipsAndCountsLikeTheCpu(CudaDtype dtype) {
        assumeGpu();
        double tol = dtype == CudaDtype.FLOAT64 ? 1e-12 : 1e-5;
        SplittableRandom rng = new SplittableRandom(3);
        int n = 5000;
        double[] p0 = new double[n];
        for (int i = 0; i < n; i++) p0[i] = rng.nextDouble() - 0.5;
        AdamOptions options = AdamOptions.defaults().withLr(1e-2).withMaxGradNorm(0.5);
        try (CudaBackend gpu = CudaBackend.open(dtype)) {
            Tensor pc = CpuBackend.INSTANCE.fromHost(p0.clone(), n), gc = CpuBackend.INSTANCE.zeros(n);
            Tensor pg = gpu.fromHost(p0, n), gg = gpu.zeros(n);
            Adam cpu = new Adam(pc, gc, options), dev = new Adam(pg, gg, options);
            for (int step = 0; step < 7; step++) {
                double[] g = new double[n];
                for (int i = 0; i < n; i++) g[i] = (step % 2 == 0 ? 0.001
                        : 1) * (rng.nextDouble() - 0.5); // clipped every other step
                if (dtype == CudaDtype.FLOAT32) for (int i = 0; i < n; i++) g[i] = (float) g[i];
                CpuBackend.INSTANCE.copyFromHost(g, gc);
                gpu.copyFromHost(g, gg);
                cpu.step();
                dev.queueStep();
            }
            dev.checkFinite();
            assertEquals(7, dev.steps());
            assertClose(pc.toHost(), pg.toHost(), tol, dtype + " parameters after 7 steps");

            double[] before = pg.toHost();
            double[] bad = new double[n];
            bad[17] = Double.NaN;
            gpu.copyFromHost(bad, gg);
            dev.queueStep();
            dev.queueStep();
            IllegalStateException e = assertThrows(IllegalStateException.class, dev::checkFinite);
            assertEquals("non-finite gradient norm NaN at Adam step 8; parameters not updated", e.getMessage());
            assertArrayEquals(before, pg.toHost());
        }
    }

    /**
     * A cosine schedule on the device (its factor folded into adam_prepare's C1) against the host's
     * (lr times the factor): through the decay, at the floor, and with a floor of 0, where the
     * device's C1 is infinite and the host's rate 0, and both leave the parameters as they are.
     */
    @ParameterizedTest
    @EnumSource(CudaDtype.class)
    void adamOnTheDeviceFollowsTheScheduleLikeTheCpu(CudaDtype dtype) {
        assumeGpu();
        double tol = dtype == CudaDtype.FLOAT64 ? 1e-12 : 1e-5;
        SplittableRandom rng = new SplittableRandom(4);
        int n = 3000;
        for (LrSchedule schedule : new LrSchedule[] {LrSchedule.cosine(5, 0.1), LrSchedule.cosine(3, 0)}) {
            double[] p0 = new double[n];
            for (int i = 0; i < n; i++) p0[i] = rng.nextDouble() - 0.5;
            AdamOptions options = AdamOptions.defaults().withLr(1e-2).withSchedule(schedule);
            try (CudaBackend gpu = CudaBackend.open(dtype)) {
                Tensor pc = CpuBackend.INSTANCE.fromHost(p0.clone(), n), gc = CpuBackend.INSTANCE.zeros(n);
                Tensor pg = gpu.fromHost(p0, n), gg = gpu.zeros(n);
                Adam cpu = new Adam(pc, gc, options), dev = new Adam(pg, gg, options);
                double[] atDecayEnd = null;
                for (int step = 1; step <= 7; step++) {
                    double[] g = new double[n];
                    for (int i = 0; i < n; i++) g[i] = rng.nextDouble() - 0.5;
                    if (dtype == CudaDtype.FLOAT32) for (int i = 0; i < n; i++) g[i] = (float) g[i];
                    CpuBackend.INSTANCE.copyFromHost(g, gc);
                    gpu.copyFromHost(g, gg);
                    cpu.step();
                    dev.queueStep();
                    if (step == schedule.decaySteps() + 1) atDecayEnd = pg.toHost();
                }
                dev.checkFinite();
                assertClose(pc.toHost(), pg.toHost(), tol, dtype + " parameters after 7 steps of " + schedule);
                if (schedule.floor() == 0) {
                    assertArrayEquals(atDecayEnd, pg.toHost(), 0, "no update after a decay to 0");
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(CudaDtype.class)
    void batchNormRunningStatisticsMatchTheHostDefault(CudaDtype dtype) {
        assumeGpu();
        double tol = dtype == CudaDtype.FLOAT64 ? 1e-13 : 1e-6;
        SplittableRandom rng = new SplittableRandom(9);
        int c = 300;
        double[][] v = new double[4][c];
        for (int i = 0; i < c; i++) {
            v[0][i] = rng.nextDouble() - 0.5;
            v[1][i] = 0.5 + rng.nextDouble();
            v[2][i] = rng.nextDouble();
            v[3][i] = 0.5 + rng.nextDouble();
            if (dtype == CudaDtype.FLOAT32) for (double[] a : v) a[i] = (float) a[i];
        }
        try (CudaBackend gpu = CudaBackend.open(dtype)) {
            Backend cpu = CpuBackend.INSTANCE;
            Tensor[] h = new Tensor[4], d = new Tensor[4];
            for (int k = 0; k < 4; k++) {
                h[k] = cpu.fromHost(v[k].clone(), c);
                d[k] = gpu.fromHost(v[k], c);
            }
            cpu.batchNormRunningUpdate(h[0], h[1], 1e-5, 0.1, 37, h[2], h[3]);
            gpu.batchNormRunningUpdate(d[0], d[1], 1e-5, 0.1, 37, d[2], d[3]);
            assertClose(h[2].toHost(), d[2].toHost(), tol, "running mean");
            assertClose(h[3].toHost(), d[3].toHost(), tol, "running variance");
        }
    }

    private static void assertClose(double[] expected, double[] actual, double tol, String what) {
        double scale = 0, err = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            double d = Math.abs(actual[i] - expected[i]);
            err = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(err, d);
        }
        assertTrue(err <= tol * scale, what + ": relative error " + err / scale);
    }
}
