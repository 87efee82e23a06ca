package dev.reparam.inverse;

import dev.reparam.TestSeeds;
import dev.reparam.cuda.CudaAvailability;
import dev.reparam.cuda.CudaBackend;
import dev.reparam.cuda.CudaDtype;
import dev.reparam.sim.billiards.Billiards;
import dev.reparam.sim.billiards.BilliardsConditioning;
import dev.reparam.sim.billiards.BilliardsProblems;
import dev.reparam.tensor.BatchedLoss;
import dev.reparam.tensor.Bounds;
import dev.reparam.tensor.DeviceLoss;
import dev.reparam.tensor.Tensor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The billiards losses from the device tensor z (BilliardsProblems' BatchedLoss, kernels/billiards/billiards.cu,
 * then the chain rule) against BilliardsProblems behind UnconstrainedObjective on the CPU: hits
 * within 1e-12 times the shot's conditioning (BilliardsConditioning: CUDA's hypot and FMAs against
 * Java's, amplified near a graze) in float64, plus 1e-5 in float32 (z is float-exact, so float32
 * adds the outputs' rounding), relative; misses with the host's loss (to 1e-15 / 1e-7: an FMA and
 * the dtype's rounding) and an exactly zero gradient. With the problem set's bounds, narrower ones
 * (Rebounded) and v0y unbounded. Repeated evaluations are bit-identical. Needs a GPU.
 */
@Tag("gpu")
class BilliardsDeviceLossParityTest {
    private static final int PROBLEMS = 64;

    @ParameterizedTest
    @CsvSource({"FLOAT64, own", "FLOAT64, narrow", "FLOAT64, mixed", "FLOAT32, own", "FLOAT32, mixed"})
    void matchesTheUnconstrainedObjective(CudaDtype t, String boundsCase) {
        CudaAvailability a = CudaAvailability.probe();
        assumeTrue(a.available(), "CUDA unavailable: " + a.detail());
        long seed = TestSeeds.seed(1005);
        BilliardsProblems cpu = BilliardsProblems.generate(PROBLEMS, seed);
        Bounds bounds = switch (boundsCase) {
            case "own" -> cpu.bounds();
            case "narrow" -> new Bounds(new double[] {0.2, -1.2}, new double[] {1.4, 1.2});
            default -> new Bounds(new double[] {0, Double.NEGATIVE_INFINITY},
                    new double[] {1.5, Double.POSITIVE_INFINITY});
        };
        SplittableRandom rng = new SplittableRandom(seed);
        double[] truth = cpu.trueParameters(), aim = new double[2 * PROBLEMS], z = new double[2 * PROBLEMS];
        double[] upstream = new double[PROBLEMS], dz0 = new double[2 * PROBLEMS];
        for (int i = 0; i < aim.length; i++) {
            // even problems near their true shot (mostly hits), odd ones anywhere (mostly misses)
            aim[i] = i / 2 % 2 == 0 ? truth[i] + 0.02 * (2 * rng.nextDouble() - 1) : -1.5 + 3 * rng.nextDouble();
            dz0[i] = (float) rng.nextGaussian();
        }
        for (int j = 0; j < PROBLEMS; j++) upstream[j] = (float) (0.5 + rng.nextDouble());
        bounds.toUnconstrained(aim, z);
        for (int i = 0; i < z.length; i++) z[i] = (float) z[i];
        double[] loss = new double[PROBLEMS], grad = new double[2 * PROBLEMS], xi = new double[2 * PROBLEMS];
        ProblemSet searched = new Rebounded(cpu, bounds);
        new UnconstrainedObjective(searched).evaluate(ProblemSets.all(PROBLEMS), z, loss, grad);
        bounds.toPhysical(z, xi);

        try (CudaBackend backend = CudaBackend.open(t); PlacedProblems placed = Placement.place(cpu, backend)) {
            DeviceLoss device = (DeviceLoss) new Rebounded(placed, bounds).batchedLoss(backend, bounds);
            assertTrue(device.capturable(), "no device path on the CUDA backend");
            Tensor zt = backend.fromHost(z, PROBLEMS, 2), lossT = backend.zeros(PROBLEMS),
                    gradT = backend.zeros(PROBLEMS, 2);
            backend.fill(lossT, Double.NaN);
            backend.fill(gradT, Double.NaN);
            device.evaluate(zt, lossT, gradT);
            double[] gLoss = lossT.toHost(), gGrad = gradT.toHost();
            Tensor dz = backend.fromHost(dz0, PROBLEMS, 2);
            device.chain(backend.fromHost(upstream, PROBLEMS), gradT, dz);
            double[] gDz = dz.toHost();

            double base = t == CudaDtype.FLOAT64 ? 0.0 : 1e-5;
            int hits = 0;
            for (int j = 0; j < PROBLEMS; j++) {
                String what = "seed " + seed + " " + t + " " + boundsCase + " problem " + j;
                double[] q = cpu.inputs();
                if (!Billiards.hits(xi[2 * j], xi[2 * j + 1], q[2 * j], q[2 * j + 1])) {
                    // the host's constant |q - y|^2, up to nvcc's contraction of it into an FMA and the dtype's
                    // rounding
                    double missTol = t == CudaDtype.FLOAT64 ? 1e-15 : 1e-7;
                    assertTrue(Math.abs(gLoss[j] - loss[j]) <= missTol * loss[j],
                            what + " (miss): loss " + gLoss[j] + " vs " + loss[j]);
                    assertEquals(0.0, gGrad[2 * j], what + " (miss)");
                    assertEquals(0.0, gGrad[2 * j + 1], what + " (miss)");
                } else {
                    hits++;
                    double tol = base + 1e-12 * BilliardsConditioning.of(xi[2 * j], xi[2 * j + 1], q[2 * j],
                            q[2 * j + 1]);
                    assertTrue(Math.abs(gLoss[j] - loss[j]) <= tol * Math.max(1e-3, Math.abs(loss[j])),
                            what + ": loss " + gLoss[j] + " vs " + loss[j]);
                    double scale = Math.max(1e-3, Math.max(Math.abs(grad[2 * j]), Math.abs(grad[2 * j + 1])));
                    double diff = Math.max(Math.abs(gGrad[2 * j] - grad[2 * j]),
                            Math.abs(gGrad[2 * j + 1] - grad[2 * j + 1]));
                    assertTrue(diff <= tol * scale, what + ": gradient "
                            + Arrays.toString(Arrays.copyOfRange(gGrad, 2 * j, 2 * j + 2))
                            + " vs " + Arrays.toString(Arrays.copyOfRange(grad, 2 * j, 2 * j + 2)));
                }
                for (int d = 0; d < 2; d++) {
                    int i = 2 * j + d;
                    double expected = dz0[i] + upstream[j] * gGrad[i];
                    double slack = (t == CudaDtype.FLOAT64 ? 1e-15 : 1e-6) * (Math.abs(dz0[i])
                            + Math.abs(upstream[j] * gGrad[i]));
                    assertTrue(Math.abs(gDz[i] - expected) <= slack,
                            what + ": chain rule " + gDz[i] + " vs " + expected);
                }
            }
            assertTrue(hits > 0 && hits < PROBLEMS, "seed " + seed + ": " + hits + " hits of " + PROBLEMS
                    + ", need both kinds");

            Tensor again = backend.zeros(PROBLEMS), againGrad = backend.zeros(PROBLEMS, 2);
            device.evaluate(zt, again, againGrad);
            assertArrayEquals(gLoss, again.toHost(), "repeated loss");
            assertArrayEquals(gGrad, againGrad.toHost(), "repeated gradient");
        }
    }
}
