package dev.reparam.cuda;

import dev.reparam.TestSeeds;
import dev.reparam.tensor.Backend;
import dev.reparam.tensor.cpu.CpuBackend;
import dev.reparam.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The layer kernels through {@link CudaBackend} against CpuBackend, on random inputs (TestSeeds) of
 * several shapes with odd sizes: relative error (max |gpu - cpu| over max |cpu|) under 1e-10 in
 * float64 and 1e-4 in float32, inputs rounded to float before the CPU sees them in float32.
 * Overwritten outputs start as NaN, so an unwritten element fails; accumulated gradients start
 * from random values, so a kernel that overwrites instead of adding fails. Needs a GPU.
 */
@Tag("gpu")
class CudaBackendParityTest {
    private static final Backend CPU = CpuBackend.INSTANCE;
    private static final Map<CudaDtype, CudaBackend> GPU = new EnumMap<>(CudaDtype.class);
    private final long seed = TestSeeds.seed(1001);
    private final Random random = new Random(seed);

    @BeforeAll
    static void open() {
        CudaAvailability a = CudaAvailability.probe();
        assumeTrue(a.available(), "CUDA unavailable: " + a.detail());
        for (CudaDtype t : CudaDtype.values()) GPU.put(t, CudaBackend.open(t));
    }

    @AfterAll
    static void close() {
        GPU.values().forEach(CudaBackend::close);
    }

    /** A pair of tensors holding the same (dtype-rounded) values on the CPU and the GPU. */
    private record Pair(Tensor cpu, Tensor gpu) {}

    private Pair random(CudaDtype t, int... shape) {
        double[] v = new double[Tensor.sizeOf(shape)];
        for (int i = 0; i < v.length; i++) v[i] = round(t, 2 * random.nextDouble() - 1);
        return new Pair(CPU.fromHost(v, shape), GPU.get(t).fromHost(v, shape));
    }

    private Pair poisoned(CudaDtype t, int... shape) {
        double[] v = new double[Tensor.sizeOf(shape)];
        Arrays.fill(v, Double.NaN);
        return new Pair(CPU.fromHost(v, shape), GPU.get(t).fromHost(v, shape));
    }

    private static double round(CudaDtype t, double v) {
        return t == CudaDtype.FLOAT32 ? (float) v : v;
    }

    private void assertClose(Pair p, CudaDtype t, String what) {
        double[] expected = p.cpu.toHost(), actual = p.gpu.toHost();
        double scale = 0, err = 0;
        for (double e : expected) scale = Math.max(scale, Math.abs(e));
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs(actual[i] - expected[i]);
            err = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(err, d);
        }
        double rel = scale == 0 ? err : err / scale, tol = t == CudaDtype.FLOAT64 ? 1e-10 : 1e-4;
        assertTrue(rel < tol, what + " " + t + ": relative error " + rel + " (seed " + seed + ")");
    }

    @ParameterizedTest
    @EnumSource(CudaDtype.class)
    void linearForwardAndBackward(CudaDtype t) {
        CudaBackend g = GPU.get(t);
        int[][] shapes = {{1, 1, 1}, {3, 7, 5}, {17, 33, 16}, {64, 200, 65}, {257, 31, 129}};
        for (int[] s : shapes) {
            int batch = s[0], in = s[1], out = s[2];
            String at = "linear " + Arrays.toString(s);
            Pair x = random(t, batch, in), w = random(t, out, in), b = random(t, out), y = poisoned(t, batch, out);
            CPU.linear(x.cpu, w.cpu, b.cpu, y.cpu);
            g.linear(x.gpu, w.gpu, b.gpu, y.gpu);
            assertClose(y, t, at + " forward");
            CPU.linear(x.cpu, w.cpu, null, y.cpu);
            g.linear(x.gpu, w.gpu, null, y.gpu);
            assertClose(y, t, at + " forward without bias");
            Pair dy = random(t, batch, out), dx = random(t, batch, in), dw = random(t, out, in), db = random(t, out);
            CPU.linearBackward(x.cpu, w.cpu, dy.cpu, dx.cpu, dw.cpu, db.cpu);
            g.linearBackward(x.gpu, w.gpu, dy.gpu, dx.gpu, dw.gpu, db.gpu);
            assertClose(dx, t, at + " dx");
            assertClose(dw, t, at + " dw");
            assertClose(db, t, at + " db");
        }
    }

    @ParameterizedTest
    @EnumSource(CudaDtype.class)
    void conv2dForwardAndBackward(CudaDtype t) {
        CudaBackend g = GPU.get(t);
        // batch, cin, h, w, cout, kh, kw, padH, padW
        int[][] shapes = {{1, 1, 1, 1, 1, 1, 1, 0, 0}, {2, 3, 7, 9, 5, 3, 3, 1, 1}, {3, 2, 11, 5, 4, 5, 3, 2, 0},
                {5, 16, 13, 17, 7, 3, 5, 0, 2}};
        for (int[] s : shapes) {
            int oh = s[2] + 2 * s[7] - s[5] + 1, ow = s[3] + 2 * s[8] - s[6] + 1;
            String at = "conv2d " + Arrays.toString(s);
            Pair x = random(t, s[0], s[1], s[2], s[3]), w = random(t, s[4], s[1], s[5], s[6]), b = random(t, s[4]);
            Pair y = poisoned(t, s[0], s[4], oh, ow);
            CPU.conv2d(x.cpu, w.cpu, b.cpu, s[7], s[8], y.cpu);
            g.conv2d(x.gpu, w.gpu, b.gpu, s[7], s[8], y.gpu);
            assertClose(y, t, at + " forward");
            Pair dy = random(t, s[0], s[4], oh, ow), dx = random(t, x.cpu.shape()), dw = random(t, w.cpu.shape()),
                    db = random(t, s[4]);
            CPU.conv2dBackward(x.cpu, w.cpu, dy.cpu, s[7], s[8], dx.cpu, dw.cpu, db.cpu);
            g.conv2dBackward(x.gpu, w.gpu, dy.gpu, s[7], s[8], dx.gpu, dw.gpu, db.gpu);
            assertClose(dx, t, at + " dx");
            assertClose(dw, t, at + " dw");
            assertClose(db, t, at + " db");
        }
    }

    @ParameterizedTest
    @EnumSource(CudaDtype.class)
    void conv1dForwardAndBackward(CudaDtype t) {
        CudaBackend g = GPU.get(t);
        // batch, cin, length, cout, k, pad
        int[][] shapes = {{1, 1, 1, 1, 1, 0}, {4, 1, 101, 16, 5, 2}, {7, 16, 50, 32, 5, 2}, {3, 5, 9, 2, 7, 0}};
        for (int[] s : shapes) {
            int lout = s[2] + 2 * s[5] - s[4] + 1;
            String at = "conv1d " + Arrays.toString(s);
            Pair x = random(t, s[0], s[1], s[2]), w = random(t, s[3], s[1], s[4]), b = random(t, s[3]);
            Pair y = poisoned(t, s[0], s[3], lout);
            CPU.conv1d(x.cpu, w.cpu, b.cpu, s[5], y.cpu);
            g.conv1d(x.gpu, w.gpu, b.gpu, s[5], y.gpu);
            assertClose(y, t, at + " forward");
            Pair dy = random(t, s[0], s[3], lout), dx = random(t, x.cpu.shape()), dw = random(t, w.cpu.shape()),
                    db = random(t, s[3]);
            CPU.conv1dBackward(x.cpu, w.cpu, dy.cpu, s[5], dx.cpu, dw.cpu, db.cpu);
            g.conv1dBackward(x.gpu, w.gpu, dy.gpu, s[5], dx.gpu, dw.gpu, db.gpu);
            assertClose(dx, t, at + " dx");
            assertClose(dw, t, at + " dw");
            assertClose(db, t, at + " db");
        }
    }

    @ParameterizedTest
    @EnumSource(CudaDtype.class)
    void batchNormTrainingInferenceAndBackward(CudaDtype t) {
        CudaBackend g = GPU.get(t);
        int[][] shapes = {{1, 1}, {7, 3}, {64, 65}, {5, 16, 31}, {3, 4, 5, 7}};
        for (int[] s : shapes) {
            int c = s[1];
            String at = "batchNorm " + Arrays.toString(s);
            Pair x = random(t, s), gamma = random(t, c), beta = random(t, c);
            Pair y = poisoned(t, s), mean = poisoned(t, c), invStd = poisoned(t, c);
            CPU.batchNorm(x.cpu, gamma.cpu, beta.cpu, 1e-5, y.cpu, mean.cpu, invStd.cpu);
            g.batchNorm(x.gpu, gamma.gpu, beta.gpu, 1e-5, y.gpu, mean.gpu, invStd.gpu);
            assertClose(y, t, at + " y");
            assertClose(mean, t, at + " mean");
            assertClose(invStd, t, at + " invStd");
            Pair dy = random(t, s), dx = random(t, s), dgamma = random(t, c), dbeta = random(t, c);
            CPU.batchNormBackward(x.cpu, gamma.cpu, mean.cpu, invStd.cpu, dy.cpu, dx.cpu, dgamma.cpu, dbeta.cpu);
            g.batchNormBackward(x.gpu, gamma.gpu, mean.gpu, invStd.gpu, dy.gpu, dx.gpu, dgamma.gpu, dbeta.gpu);
            assertClose(dx, t, at + " dx");
            assertClose(dgamma, t, at + " dgamma");
            assertClose(dbeta, t, at + " dbeta");
            Pair var = random(t, c), inferred = poisoned(t, s);
            double[] positive = Arrays.stream(var.cpu.toHost()).map(v -> round(t, Math.abs(v) + 0.1)).toArray();
            var = new Pair(CPU.fromHost(positive, c), g.fromHost(positive, c));
            CPU.batchNormInference(x.cpu, gamma.cpu, beta.cpu, mean.cpu, var.cpu, 1e-5, inferred.cpu);
            g.batchNormInference(x.gpu, gamma.gpu, beta.gpu, mean.gpu, var.gpu, 1e-5, inferred.gpu);
            assertClose(inferred, t, at + " inference");
        }
    }

    @ParameterizedTest
    @EnumSource(CudaDtype.class)
    void maxPool2dForwardAndBackward(CudaDtype t) {
        CudaBackend g = GPU.get(t);
        // batch, channels, h, w, kh, kw (floor: trailing rows and columns that fill no window are skipped)
        int[][] shapes = {{1, 1, 1, 1, 1, 1}, {2, 3, 8, 8, 2, 2}, {3, 5, 7, 9, 2, 3}, {4, 16, 1, 101, 1, 2}};
        for (int[] s : shapes) {
            String at = "maxPool2d " + Arrays.toString(s);
            int oh = s[2] / s[4], ow = s[3] / s[5];
            Pair x = random(t, s[0], s[1], s[2], s[3]), y = poisoned(t, s[0], s[1], oh, ow);
            CPU.maxPool2d(x.cpu, s[4], s[5], y.cpu);
            g.maxPool2d(x.gpu, s[4], s[5], y.gpu);
            assertClose(y, t, at + " forward");
            Pair dy = random(t, s[0], s[1], oh, ow), dx = random(t, x.cpu.shape());
            CPU.maxPool2dBackward(x.cpu, s[4], s[5], dy.cpu, dx.cpu);
            g.maxPool2dBackward(x.gpu, s[4], s[5], dy.gpu, dx.gpu);
            assertClose(dx, t, at + " dx");
        }
        // ties: an all-equal window must route the gradient to its first element, as on the CPU
        double[] flat = new double[2 * 6];
        Pair x = new Pair(CPU.fromHost(flat, 1, 1, 2, 6), g.fromHost(flat, 1, 1, 2, 6));
        Pair dy = random(t, 1, 1, 1, 3), dx = random(t, 1, 1, 2, 6);
        CPU.maxPool2dBackward(x.cpu, 2, 2, dy.cpu, dx.cpu);
        g.maxPool2dBackward(x.gpu, 2, 2, dy.gpu, dx.gpu);
        assertClose(dx, t, "maxPool2d ties dx");
    }

    @ParameterizedTest
    @EnumSource(CudaDtype.class)
    void positionalEncodingForwardAndBackward(CudaDtype t) {
        CudaBackend g = GPU.get(t);
        int[][] shapes = {{1, 1, 0}, {1, 1, 1}, {7, 3, 4}, {64, 5, 10}, {1000, 2, 6}};
        for (int[] s : shapes) {
            String at = "positionalEncoding " + Arrays.toString(s);
            int group = 1 + 2 * s[2];
            Pair x = random(t, s[0], s[1]), y = poisoned(t, s[0], s[1] * group);
            CPU.positionalEncoding(x.cpu, s[2], y.cpu);
            g.positionalEncoding(x.gpu, s[2], y.gpu);
            assertClose(y, t, at + " forward");
            Pair dy = random(t, s[0], s[1] * group), dx = random(t, s[0], s[1]);
            CPU.positionalEncodingBackward(x.cpu, s[2], dy.cpu, dx.cpu);
            g.positionalEncodingBackward(x.gpu, s[2], dy.gpu, dx.gpu);
            assertClose(dx, t, at + " dx");
        }
    }
}
