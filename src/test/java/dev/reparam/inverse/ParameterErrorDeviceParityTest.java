package dev.reparam.inverse;

import dev.reparam.TestSeeds;
import dev.reparam.cuda.CudaAvailability;
import dev.reparam.cuda.CudaBackend;
import dev.reparam.cuda.CudaDtype;
import dev.reparam.tensor.Backend;
import dev.reparam.tensor.Bounds;
import dev.reparam.tensor.cpu.CpuBackend;
import dev.reparam.tensor.Tensor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Supervised training's loss on the CUDA device (CudaParameterError, kernel parameter_error)
 * against ParameterErrorOp's host path: the per-example errors and, through backward, dz =
 * upstream * de/dz accumulated onto a non-zero dz; 1e-12 relative in float64, 1e-5 in float32.
 * With bounded dimensions of different widths and with one unbounded dimension. Needs a GPU.
 */
@Tag("gpu")
class ParameterErrorDeviceParityTest {
    private static final int ROWS = 37;

    @ParameterizedTest
    @CsvSource({"FLOAT64, false", "FLOAT64, true", "FLOAT32, false", "FLOAT32, true"})
    void matchesTheHostPath(CudaDtype t, boolean unbounded) {
        CudaAvailability a = CudaAvailability.probe();
        assumeTrue(a.available(), "CUDA unavailable: " + a.detail());
        Bounds bounds = unbounded
                ? new Bounds(new double[] {-1, Double.NEGATIVE_INFINITY}, new double[] {1, Double.POSITIVE_INFINITY})
                : new Bounds(new double[] {-1, 0}, new double[] {1, 10});
        long seed = TestSeeds.seed(1007);
        SplittableRandom rng = new SplittableRandom(seed);
        double[] z = new double[2 * ROWS], truth = new double[2 * ROWS], upstream = new double[ROWS],
                dz0 = new double[2 * ROWS];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) (3 * rng.nextGaussian());
            truth[i] = i % 2 == 0 ? -1 + 2 * rng.nextDouble()
                    : (unbounded ? 5 * rng.nextGaussian() : 10 * rng.nextDouble());
            dz0[i] = (float) rng.nextGaussian();
        }
        for (int j = 0; j < ROWS; j++) upstream[j] = (float) (0.5 + rng.nextDouble());
        double[][] host = run(CpuBackend.INSTANCE, new ParameterErrorOp(bounds, truth, CpuBackend.INSTANCE), z,
                upstream, dz0);
        try (CudaBackend backend = CudaBackend.open(t)) {
            ParameterErrorOp op = new ParameterErrorOp(bounds, truth, backend);
            assertTrue(op.recordable(), "the CUDA backend must evaluate it on the device");
            double[][] device = run(backend, op, z, upstream, dz0);
            double tol = t == CudaDtype.FLOAT64 ? 1e-12 : 1e-5;
            String what = "seed " + seed + " " + t + (unbounded ? " unbounded" : " bounded");
            for (int k = 0; k < 2; k++) {
                for (int i = 0; i < host[k].length; i++) {
                    double want = host[k][i], got = device[k][i];
                    assertTrue(Math.abs(got - want) <= tol * Math.max(1, Math.abs(want)),
                            what + (k == 0 ? " error " : " dz ") + i + ": " + got + " vs " + want);
                }
            }
        }
    }

    /** {e, dz after backward} of the op on backend b. */
    private static double[][] run(Backend b, ParameterErrorOp op, double[] z, double[] upstream, double[] dz0) {
        Tensor zt = b.fromHost(z, ROWS, 2);
        Tensor e = op.forward(zt);
        Tensor dz = b.fromHost(dz0, ROWS, 2);
        op.backward(new Tensor[] {zt}, e, b.fromHost(upstream, ROWS), new Tensor[] {dz});
        return new double[][] {e.toHost(), dz.toHost()};
    }
}
