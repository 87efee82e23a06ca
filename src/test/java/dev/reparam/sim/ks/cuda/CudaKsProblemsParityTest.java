package dev.reparam.sim.ks.cuda;

import dev.reparam.TestSeeds;
import dev.reparam.cuda.CudaAvailability;
import dev.reparam.cuda.CudaBackend;
import dev.reparam.cuda.CudaDtype;
import dev.reparam.inverse.Placement;
import dev.reparam.inverse.ProblemSet;
import dev.reparam.sim.ks.KsProblems;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The KS experiment on the CUDA backend: {@link Placement#place} hands out
 * {@link CudaKsProblems}, whose losses and gradients match {@link KsProblems} on the quick
 * physics (t = 10) at random xi (TestSeeds): 1e-10 in float64; 1e-3 in float32, where the device also
 * holds u(0) and y rounded to float and 40 steps amplify the rounding (about 1e-5 expected).
 * A diverged problem gets DIVERGED_LOSS and a zero gradient, as on the CPU. Needs a GPU.
 */
@Tag("gpu")
class CudaKsProblemsParityTest {
    private final long seed = TestSeeds.seed(1008);

    @ParameterizedTest
    @EnumSource(CudaDtype.class)
    void matchesTheCpuProblemSet(CudaDtype t) {
        CudaAvailability a = CudaAvailability.probe();
        assumeTrue(a.available(), "CUDA unavailable: " + a.detail());
        KsProblems cpu = KsProblems.generate(KsProblems.Physics.QUICK, 6, seed);
        // problem 4 starts far too large and blows up
        double[] u0 = cpu.inputs().clone();
        int n = cpu.solver().points();
        for (int j = 0; j < n; j++) u0[4 * n + j] *= 1e3;
        KsProblems problems = new KsProblems(cpu.solver(), u0, cpu.observations(), null);
        try (CudaBackend backend = CudaBackend.open(t)) {
            ProblemSet device = Placement.place(problems, backend);
            assertTrue(device instanceof CudaKsProblems, "got " + device.getClass());
            try (CudaKsProblems gpu = (CudaKsProblems) device) {
                int[] rows = {5, 4, 0, 2};
                SplittableRandom rng = new SplittableRandom(seed);
                double[] xi = new double[2 * rows.length];
                for (int j = 0; j < rows.length; j++) {
                    xi[2 * j] = (float) (-1 + 2 * rng.nextDouble());
                    xi[2 * j + 1] = (float) (0.5 + rng.nextDouble());
                }
                double[] loss = new double[4], grad = new double[8], gLoss = new double[4], gGrad = new double[8];
                Arrays.fill(gLoss, Double.NaN);
                Arrays.fill(gGrad, Double.NaN);
                problems.lossAndGradient(rows, xi, loss, grad);
                gpu.lossAndGradient(rows, xi, gLoss, gGrad);
                double tol = t == CudaDtype.FLOAT64 ? 1e-10 : 1e-3;
                for (int j = 0; j < rows.length; j++) {
                    String what = "seed " + seed + " " + t + " row " + j;
                    if (rows[j] == 4) {
                        assertEquals(KsProblems.DIVERGED_LOSS, gLoss[j], what);
                        assertEquals(0.0, gGrad[2 * j]);
                        assertEquals(0.0, gGrad[2 * j + 1]);
                        continue;
                    }
                    assertTrue(Math.abs(gLoss[j] - loss[j]) <= tol * Math.abs(loss[j]),
                            what + ": loss " + gLoss[j] + " vs " + loss[j]);
                    double scale = Math.max(Math.abs(grad[2 * j]), Math.abs(grad[2 * j + 1]));
                    double diff = Math.max(Math.abs(gGrad[2 * j] - grad[2 * j]),
                            Math.abs(gGrad[2 * j + 1] - grad[2 * j + 1]));
                    assertTrue(diff <= tol * scale, what + ": gradient "
                            + Arrays.toString(Arrays.copyOfRange(gGrad, 2 * j, 2 * j + 2))
                            + " vs " + Arrays.toString(Arrays.copyOfRange(grad, 2 * j, 2 * j + 2)));
                }
                assertSame(problems.observations(), gpu.observations());
            }
        }
    }
}
