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

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Both GEMM engines, whatever the backend picked, against CpuBackend's dense layer on odd and
 * empty shapes (relative error under 1e-10 in float64, 1e-4 in float32), and cuBLAS's results
 * bit-identical across two runs (the determinism docs/cuda.md relies on). The cuBLAS half is
 * skipped where its library does not load. Needs a GPU.
 */
@Tag("gpu")
class GemmEngineParityTest {
    private static final Backend CPU = CpuBackend.INSTANCE;
    private static BareDevice cuda;
    private final long seed = TestSeeds.seed(1003);
    private final Random random = new Random(seed);
    private final List<DeviceBuffer> buffers = new ArrayList<>();

    enum Engine { TILED, CUBLAS }

    @BeforeAll
    static void open() {
        cuda = BareDevice.open();
    }

    @AfterAll
    static void close() {
        if (cuda != null) cuda.close();
    }

    private GemmEngine engine(Engine e, CudaDtype t) {
        if (e == Engine.TILED) return new TiledGemm(cuda.kernels, t);
        assumeTrue(CublasLibrary.loadFailure() == null, "cuBLAS unavailable: " + CublasLibrary.loadFailure());
        return CublasGemm.open(cuda.kernels, t, null);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void float64(Engine e) {
        check(e, CudaDtype.FLOAT64);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void float32(Engine e) {
        check(e, CudaDtype.FLOAT32);
    }

    private void check(Engine e, CudaDtype t) {
        int[][] shapes = {{1, 1, 1}, {3, 7, 5}, {17, 33, 16}, {64, 200, 65}, {257, 31, 129}, {0, 4, 3}, {5, 0, 3},
                {5, 4, 0}};
        try (GemmEngine g = engine(e, t)) {
            for (int[] s : shapes) {
                int batch = s[0], in = s[1], out = s[2];
                String at = g.describe() + " " + t + " " + Arrays.toString(s) + " (seed " + seed + ")";
                double[] x = uniform(batch * in, t), w = uniform(out * in, t), b = uniform(out, t);
                double[] nan = new double[batch * out];
                Arrays.fill(nan, Double.NaN);
                DeviceBuffer xd = buffer(x, t), wd = buffer(w, t), bd = buffer(b, t), yd = buffer(nan, t);
                g.forward(op(xd), op(wd), op(bd), op(yd), batch, in, out);
                Tensor y = CPU.zeros(batch, out);
                CPU.linear(CPU.fromHost(x, batch, in), CPU.fromHost(w, out, in), CPU.fromHost(b, out), y);
                assertClose(y.toHost(), yd.download(), t, at + " forward");
                DeviceBuffer y2 = buffer(nan, t);
                g.forward(op(xd), op(wd), DeviceOperand.NONE, op(y2), batch, in, out);
                CPU.linear(CPU.fromHost(x, batch, in), CPU.fromHost(w, out, in), null, y);
                assertClose(y.toHost(), y2.download(), t, at + " forward without bias");

                double[] dy = uniform(batch * out, t), dx0 = uniform(batch * in, t), dw0 = uniform(out * in, t);
                DeviceBuffer dyd = buffer(dy, t), dxd = buffer(dx0, t), dwd = buffer(dw0, t);
                g.backwardInput(op(dyd), op(wd), op(dxd), batch, in, out);
                g.backwardWeight(op(dyd), op(xd), op(dwd), batch, in, out);
                Tensor dx = CPU.fromHost(dx0, batch, in), dw = CPU.fromHost(dw0, out, in);
                CPU.linearBackward(CPU.fromHost(x, batch, in), CPU.fromHost(w, out, in), CPU.fromHost(dy, batch, out),
                        dx, dw, null);
                assertClose(dx.toHost(), dxd.download(), t, at + " dx (accumulated)");
                assertClose(dw.toHost(), dwd.download(), t, at + " dw (accumulated)");

                // run to run: the same inputs give the same bits
                DeviceBuffer y3 = buffer(nan, t), dw2 = buffer(dw0, t);
                g.forward(op(xd), op(wd), op(bd), op(y3), batch, in, out);
                g.backwardWeight(op(dyd), op(xd), op(dw2), batch, in, out);
                assertArrayEquals(yd.download(), y3.download(), 0, at + " forward, second run");
                assertArrayEquals(dwd.download(), dw2.download(), 0, at + " dw, second run");
                freeBuffers();
            }
        } finally {
            freeBuffers();
        }
    }

    private static DeviceOperand op(DeviceBuffer b) {
        return new DeviceOperand(b.pointer(), b.toString());
    }

    private DeviceBuffer buffer(double[] values, CudaDtype t) {
        DeviceBuffer b = cuda.memory.buffer(values.length, t);
        buffers.add(b);
        b.upload(values);
        return b;
    }

    private void freeBuffers() {
        buffers.forEach(DeviceBuffer::close);
        buffers.clear();
    }

    private double[] uniform(int n, CudaDtype t) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            double u = 2 * random.nextDouble() - 1;
            v[i] = t == CudaDtype.FLOAT32 ? (float) u : u;
        }
        return v;
    }

    private static void assertClose(double[] expected, double[] actual, CudaDtype t, String what) {
        double scale = 0, err = 0;
        for (double e : expected) scale = Math.max(scale, Math.abs(e));
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs(actual[i] - expected[i]);
            err = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(err, d);
        }
        double rel = scale == 0 ? err : err / scale, tol = t == CudaDtype.FLOAT64 ? 1e-10 : 1e-4;
        assertTrue(rel < tol, what + ": relative error " + rel);
    }
}
