package dev.reparam.sim.wavepacket.cuda;

import dev.reparam.TestSeeds;
import dev.reparam.cuda.CudaAvailability;
import dev.reparam.cuda.CudaBackend;
import dev.reparam.cuda.CudaDriver;
import dev.reparam.cuda.CudaDtype;
import dev.reparam.inverse.CentralDifferences;
import dev.reparam.inverse.Placement;
import dev.reparam.sim.wavepacket.WavePacket;
import dev.reparam.sim.wavepacket.WavePacketProblems;
import dev.reparam.tensor.Bounds;
import dev.reparam.tensor.DeviceLoss;
import dev.reparam.tensor.Tensor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * kernels/wavepacket/wavepacket.cu through {@link CudaWavePacketLoss} against the CPU path the networks use
 * without it (WavePacket.lossAndGradient behind the tanh bound map, as UnconstrainedObjective
 * does): losses and gradients in z, bounded and unbounded t0, for n = 1, 3, 1000 and 70,001
 * (beyond the 65,536-block grid cap, so blocks loop over problems). Relative error 1e-10 in
 * float64, 1e-4 in float32 (z rounded to float before the CPU sees it). Also the chain kernel
 * dz += upstream[row] * gradZ. Needs a GPU.
 */
@Tag("gpu")
class WavePacketDeviceLossParityTest {
    @ParameterizedTest
    @EnumSource(CudaDtype.class)
    void lossAndGradientInZMatchTheCpu(CudaDtype dtype) {
        CudaAvailability a = CudaAvailability.probe();
        assumeTrue(a.available(), "CUDA unavailable: " + a.detail());
        double tol = dtype == CudaDtype.FLOAT64 ? 1e-10 : 1e-4;
        long seed = TestSeeds.seed(1011);
        try (CudaBackend gpu = CudaBackend.open(dtype)) {
            // past the grid cap (65,536 blocks) in float64 only under the interpreter, where one
            // such case takes half a minute
            boolean beyondCap = dtype == CudaDtype.FLOAT64 || !CudaDriver.interpreted();
            for (int n : beyondCap ? new int[] {1, 3, 1000, 70_001} : new int[] {1, 3, 1000}) {
                WavePacketProblems problems = WavePacketProblems.generate(n, seed);
                for (Bounds bounds : new Bounds[] {problems.bounds(), Bounds.unbounded(1)}) {
                    SplittableRandom rng = new SplittableRandom(seed + n);
                    double[] z = new double[n];
                    for (int i = 0; i < n; i++) {
                        z[i] = bounds.isBounded(0) ? 3 * rng.nextDouble() - 1.5 : 64 + 128 * rng.nextDouble();
                        if (dtype == CudaDtype.FLOAT32) z[i] = (float) z[i];
                    }
                    double[] loss = new double[n], grad = new double[n];
                    cpu(problems, bounds, z, loss, grad);

                    DeviceLoss device = (DeviceLoss) Placement.place(problems, gpu).batchedLoss(gpu, bounds);
                    assertTrue(device.capturable(), "the CUDA placement evaluates on the device");
                    Tensor zd = gpu.fromHost(z, n, 1), lossD = gpu.zeros(n), gradD = gpu.zeros(n, 1);
                    gpu.fill(lossD, Double.NaN);
                    gpu.fill(gradD, Double.NaN);
                    device.evaluate(zd, lossD, gradD);
                    String what = dtype + ", n = " + n + ", bounded " + bounds.isBounded(0) + ", seed " + seed;
                    assertClose(loss, lossD.toHost(), tol, "loss, " + what);
                    assertClose(grad, gradD.toHost(), tol, "gradient in z, " + what);

                    double[] upstream = new double[n], dz = new double[n], expected = new double[n];
                    for (int i = 0; i < n; i++) {
                        upstream[i] = rng.nextDouble() - 0.5;
                        dz[i] = rng.nextDouble();
                        expected[i] = dz[i] + upstream[i] * gradD.toHost()[i];
                    }
                    Tensor dzD = gpu.fromHost(dz, n, 1);
                    device.chain(gpu.fromHost(upstream, n), gradD, dzD);
                    assertClose(expected, dzD.toHost(), tol, "chain, " + what);
                    if (n == 1000 && dtype == CudaDtype.FLOAT64) {
                        // and the CPU reference itself is the derivative of the loss
                        double[] fd = CentralDifferences.gradient((p, l) -> cpu(problems, bounds, p, l, new double[n]),
                                z, 1, 1e-6);
                        assertClose(grad, fd, 1e-5, "CPU gradient against central differences, " + what);
                    }
                }
            }
        }
    }

    private static void cpu(WavePacketProblems problems, Bounds bounds, double[] z, double[] loss, double[] grad) {
        int n = z.length;
        double[] xi = new double[n], jac = new double[n];
        bounds.toPhysical(z, xi);
        bounds.jacobianDiagonal(z, jac);
        int[] all = new int[n];
        for (int i = 0; i < n; i++) all[i] = i;
        WavePacket.lossAndGradient(xi, problems.observations(), all, loss, grad);
        for (int i = 0; i < n; i++) grad[i] *= jac[i];
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
