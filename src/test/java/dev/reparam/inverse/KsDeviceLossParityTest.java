package dev.reparam.inverse;

import dev.reparam.TestSeeds;
import dev.reparam.cuda.CudaAvailability;
import dev.reparam.cuda.CudaBackend;
import dev.reparam.cuda.CudaDtype;
import dev.reparam.sim.ks.KsProblems;
import dev.reparam.sim.ks.cuda.CudaKsProblems;
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
 * The Kuramoto-Sivashinsky losses from the device tensor z (CudaKsProblems' BatchedLoss: bound map,
 * ks_forward, ks_adjoint, finish; then the chain rule) against KsProblems behind
 * UnconstrainedObjective on the CPU, on the quick physics: 1e-10 relative per problem in float64,
 * 1e-3 in float32 (u(0), y and xi rounded to float on the device). A diverged problem gives
 * exactly DIVERGED_LOSS (rounded to the dtype) and a zero gradient. With the experiment's bounds,
 * narrower search bounds (through Rebounded) and beta unbounded. Repeated evaluations are
 * bit-identical. Needs a GPU.
 */
@Tag("gpu")
class KsDeviceLossParityTest {
    private static final int PROBLEMS = 6, BLOWN = 4;

    @ParameterizedTest
    @CsvSource({"FLOAT64, own", "FLOAT64, narrow", "FLOAT64, mixed", "FLOAT32, own", "FLOAT32, mixed"})
    void matchesTheUnconstrainedObjective(CudaDtype t, String boundsCase) {
        CudaAvailability a = CudaAvailability.probe();
        assumeTrue(a.available(), "CUDA unavailable: " + a.detail());
        long seed = TestSeeds.seed(1006);
        KsProblems generated = KsProblems.generate(KsProblems.Physics.QUICK, PROBLEMS, seed);
        double[] u0 = generated.inputs().clone();
        int points = generated.solver().points();
        for (int j = 0; j < points; j++) u0[BLOWN * points + j] *= 1e3; // blows up within a few steps
        KsProblems cpu = new KsProblems(generated.solver(), u0, generated.observations(), null);
        Bounds bounds = switch (boundsCase) {
            case "own" -> cpu.bounds();
            case "narrow" -> new Bounds(new double[] {-0.5, 0.8}, new double[] {0.7, 1.3});
            default -> new Bounds(new double[] {-1, Double.NEGATIVE_INFINITY},
                    new double[] {1, Double.POSITIVE_INFINITY});
        };
        SplittableRandom rng = new SplittableRandom(seed);
        double[] z = new double[2 * PROBLEMS], upstream = new double[PROBLEMS], dz0 = new double[2 * PROBLEMS];
        for (int j = 0; j < PROBLEMS; j++) {
            z[2 * j] = (float) (-1.5 + 3 * rng.nextDouble());
            z[2 * j + 1] = (float) (bounds.isBounded(1) ? -1.5 + 3 * rng.nextDouble() : 0.5 + rng.nextDouble());
            upstream[j] = (float) (0.5 + rng.nextDouble());
            dz0[2 * j] = (float) rng.nextGaussian();
            dz0[2 * j + 1] = (float) rng.nextGaussian();
        }
        double[] loss = new double[PROBLEMS], grad = new double[2 * PROBLEMS];
        new UnconstrainedObjective(new Rebounded(cpu, bounds)).evaluate(ProblemSets.all(PROBLEMS), z, loss, grad);
        assertEquals(KsProblems.DIVERGED_LOSS, loss[BLOWN], "the CPU reference must see the blow-up");

        try (CudaBackend backend = CudaBackend.open(t); CudaKsProblems gpu = new CudaKsProblems(cpu, backend)) {
            DeviceLoss device = (DeviceLoss) new Rebounded(gpu, bounds).batchedLoss(backend, bounds);
            assertNotNull(device, "no device path on the CUDA backend");
            Tensor zt = backend.fromHost(z, PROBLEMS, 2), lossT = backend.zeros(PROBLEMS),
                    gradT = backend.zeros(PROBLEMS, 2);
            backend.fill(lossT, Double.NaN);
            backend.fill(gradT, Double.NaN);
            device.evaluate(zt, lossT, gradT);
            double[] gLoss = lossT.toHost(), gGrad = gradT.toHost();
            Tensor dz = backend.fromHost(dz0, PROBLEMS, 2);
            device.chain(backend.fromHost(upstream, PROBLEMS), gradT, dz);
            double[] gDz = dz.toHost();

            double tol = t == CudaDtype.FLOAT64 ? 1e-10 : 1e-3;
            for (int j = 0; j < PROBLEMS; j++) {
                String what = "seed " + seed + " " + t + " " + boundsCase + " problem " + j;
                if (j == BLOWN) {
                    assertEquals(t == CudaDtype.FLOAT64 ? KsProblems.DIVERGED_LOSS : (float) KsProblems.DIVERGED_LOSS,
                            gLoss[j], what);
                    assertEquals(0.0, gGrad[2 * j], what);
                    assertEquals(0.0, gGrad[2 * j + 1], what);
                } else {
                    assertTrue(Math.abs(gLoss[j] - loss[j]) <= tol * Math.abs(loss[j]),
                            what + ": loss " + gLoss[j] + " vs " + loss[j]);
                    double scale = Math.max(Math.abs(grad[2 * j]), Math.abs(grad[2 * j + 1]));
                    double diff = Math.max(Math.abs(gGrad[2 * j] - grad[2 * j]),
                            Math.abs(gGrad[2 * j + 1] - grad[2 * j + 1]));
                    assertTrue(diff <= tol * scale, what + ": gradient "
                            + Arrays.toString(Arrays.copyOfRange(gGrad, 2 * j, 2 * j + 2))
                            + " vs " + Arrays.toString(Arrays.copyOfRange(grad, 2 * j, 2 * j + 2)));
                }
                for (int d = 0; d < 2; d++) {
                    int i = 2 * j + d;
                    // dz += upstream * gradZ, one rounding (or an FMA) in the dtype
                    double expected = dz0[i] + upstream[j] * gGrad[i];
                    double slack = (t == CudaDtype.FLOAT64 ? 1e-15 : 1e-6) * (Math.abs(dz0[i])
                            + Math.abs(upstream[j] * gGrad[i]));
                    assertTrue(Math.abs(gDz[i] - expected) <= slack,
                            what + ": chain rule " + gDz[i] + " vs " + expected);
                }
            }

            Tensor again = backend.zeros(PROBLEMS), againGrad = backend.zeros(PROBLEMS, 2);
            device.evaluate(zt, again, againGrad);
            assertArrayEquals(gLoss, again.toHost(), "repeated loss");
            assertArrayEquals(gGrad, againGrad.toHost(), "repeated gradient");
        }
    }
}
