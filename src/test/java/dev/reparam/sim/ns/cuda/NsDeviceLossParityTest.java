package dev.reparam.sim.ns.cuda;

import dev.reparam.TestSeeds;
import dev.reparam.cuda.CudaAvailability;
import dev.reparam.cuda.CudaBackend;
import dev.reparam.cuda.CudaDtype;
import dev.reparam.inverse.ProblemSets;
import dev.reparam.inverse.Rebounded;
import dev.reparam.sim.ns.NsProblems;
import dev.reparam.tensor.BatchedLoss;
import dev.reparam.tensor.Bounds;
import dev.reparam.tensor.DeviceLoss;
import dev.reparam.tensor.Tensor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Navier-Stokes losses from the device tensor z (CudaNsProblems' BatchedLoss: per batch the bound
 * map, the device rollout and adjoint, the finish; then the chain rule) against NsProblems behind
 * UnconstrainedObjective's arithmetic on the CPU, quick physics at CG tolerance 1e-12, in batches of two (three
 * batches for five problems, the last one short, so the views into z and the outputs are covered).
 * Tolerances as CudaNsProblemsTest's (float64; the device preconditions CG differently) and
 * NsCudaParityTest's float32 bounds (1e-3 loss, 1e-2 gradient; the device's CG at 1e-5 there, as in
 * NsCudaParityTest). With the problem set's bounds and
 * with v0y unbounded. The loss must say it is not capturable; repeated evaluations are
 * bit-identical. Needs a GPU.
 */
@Tag("gpu")
class NsDeviceLossParityTest {
    private static final int PROBLEMS = 5;

    @ParameterizedTest
    @CsvSource({"FLOAT64, own", "FLOAT64, mixed", "FLOAT32, own"})
    void matchesTheUnconstrainedObjective(CudaDtype t, String boundsCase) {
        CudaAvailability a = CudaAvailability.probe();
        assumeTrue(a.available(), "CUDA unavailable: " + a.detail());
        double cgTol = 1e-12;
        NsProblems.Physics physics = NsProblems.Physics.QUICK.withCgTolerance(cgTol);
        long seed = TestSeeds.seed(1010);
        NsProblems cpu = NsProblems.generate(physics, PROBLEMS, seed);
        Bounds own = cpu.bounds();
        Bounds bounds = boundsCase.equals("own") ? own
                : new Bounds(new double[] {own.lo(0), own.lo(1), Double.NEGATIVE_INFINITY},
                        new double[] {own.hi(0), own.hi(1), Double.POSITIVE_INFINITY});
        SplittableRandom rng = new SplittableRandom(seed);
        double[] z = new double[3 * PROBLEMS], upstream = new double[PROBLEMS], dz0 = new double[3 * PROBLEMS];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) (bounds.isBounded(i % 3) ? -1.2 + 2.4 * rng.nextDouble() : -0.8 + 1.6 * rng.nextDouble());
            dz0[i] = (float) rng.nextGaussian();
        }
        for (int j = 0; j < PROBLEMS; j++) upstream[j] = (float) (0.5 + rng.nextDouble());
        // UnconstrainedObjective's arithmetic (package-private there)
        double[] loss = new double[PROBLEMS], grad = new double[3 * PROBLEMS], xi = new double[3 * PROBLEMS],
                jac = new double[3 * PROBLEMS];
        bounds.toPhysical(z, xi);
        bounds.jacobianDiagonal(z, jac);
        cpu.lossAndGradient(ProblemSets.all(PROBLEMS), xi, loss, grad);
        for (int i = 0; i < grad.length; i++) grad[i] *= jac[i];

        // float32 CG cannot reach 1e-12: the device solves at 1e-5 there, against the float64 CPU at 1e-12
        NsProblems onDevice = t == CudaDtype.FLOAT64 ? cpu
                : new NsProblems(physics.withCgTolerance(1e-5), cpu.inputs(), cpu.observations(), null);
        try (CudaBackend backend = CudaBackend.open(t); CudaNsProblems gpu = new CudaNsProblems(onDevice, backend, 2)) {
            DeviceLoss device = (DeviceLoss) new Rebounded(gpu, bounds).batchedLoss(backend, bounds);
            assertNotNull(device, "no device path on the CUDA backend");
            assertFalse(device.capturable(), "the CG reads flags back: the NS loss cannot be captured");
            Tensor zt = backend.fromHost(z, PROBLEMS, 3), lossT = backend.zeros(PROBLEMS),
                    gradT = backend.zeros(PROBLEMS, 3);
            backend.fill(lossT, Double.NaN);
            backend.fill(gradT, Double.NaN);
            device.evaluate(zt, lossT, gradT);
            double[] gLoss = lossT.toHost(), gGrad = gradT.toHost();
            Tensor dz = backend.fromHost(dz0, PROBLEMS, 3);
            device.chain(backend.fromHost(upstream, PROBLEMS), gradT, dz);
            double[] gDz = dz.toHost();

            boolean f64 = t == CudaDtype.FLOAT64;
            double steps = physics.steps();
            double lossTol = f64 ? 1e3 * steps * cgTol : 1e-3, gradTol = f64 ? 1e4 * steps * cgTol : 1e-2;
            for (int j = 0; j < PROBLEMS; j++) {
                String what = "seed " + seed + " " + t + " " + boundsCase + " problem " + j;
                assertTrue(Math.abs(gLoss[j] - loss[j]) <= lossTol * Math.abs(loss[j]) + 1e-15,
                        what + ": loss " + gLoss[j] + " vs " + loss[j]);
                double scale = Math.max(Math.abs(grad[3 * j]),
                        Math.max(Math.abs(grad[3 * j + 1]), Math.abs(grad[3 * j + 2])));
                for (int d = 0; d < 3; d++) {
                    int i = 3 * j + d;
                    assertTrue(Math.abs(gGrad[i] - grad[i]) <= gradTol * scale,
                            what + ": gradient " + d + " " + gGrad[i] + " vs " + grad[i]);
                    double expected = dz0[i] + upstream[j] * gGrad[i];
                    double slack = (f64 ? 1e-15 : 1e-6) * (Math.abs(dz0[i]) + Math.abs(upstream[j] * gGrad[i]));
                    assertTrue(Math.abs(gDz[i] - expected) <= slack,
                            what + ": chain rule " + gDz[i] + " vs " + expected);
                }
            }

            Tensor again = backend.zeros(PROBLEMS), againGrad = backend.zeros(PROBLEMS, 3);
            device.evaluate(zt, again, againGrad);
            assertArrayEquals(gLoss, again.toHost(), "repeated loss");
            assertArrayEquals(gGrad, againGrad.toHost(), "repeated gradient");
        }
    }
}
