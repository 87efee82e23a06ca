package dev.reparam.cuda;

import dev.reparam.TestSeeds;
import dev.reparam.tensor.Activation;
import dev.reparam.tensor.Backend;
import dev.reparam.tensor.cpu.CpuBackend;
import dev.reparam.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
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
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Each kernel against CpuBackend on random inputs (TestSeeds) of several shapes, odd sizes included:
 * relative error (max |gpu - cpu| over max |cpu|) under 1e-10 in float64 and 1e-4 in float32.
 * float32 inputs are rounded to float before the CPU sees them, so only the kernel's arithmetic
 * is measured. Every output buffer carries GUARD trailing elements poisoned with NaN, and outputs
 * that a kernel overwrites are poisoned entirely, so an unwritten element or a write past the end
 * fails. Needs a GPU: run with {@code bash .gpu/run test}.
 */
@Tag("gpu")
class KernelParityTest {
    private static final int[] SIZES = {0, 1, 7, 256, 257, 4099, 1_000_003};
    /** rows x columns, for the row-wise and column-wise kernels. */
    private static final int[][] SHAPES = {{1, 1}, {3, 7}, {64, 255}, {100, 257}, {3, 4099}, {1000, 5}};
    private static final int GUARD = 37;
    private static final Backend CPU = CpuBackend.INSTANCE;

    private static BareDevice cuda;
    private final long seed = TestSeeds.seed(1004);
    private final Random random = new Random(seed);
    private final List<DeviceBuffer> buffers = new ArrayList<>();

    @BeforeAll
    static void open() {
        cuda = BareDevice.open();
    }

    @AfterAll
    static void close() {
        if (cuda != null) cuda.close();
    }

    // ---- elementwise ---------------------------------------------------------------------------
    @ParameterizedTest
    @EnumSource(CudaDtype.class)
    void fill(CudaDtype t) {
        for (int n : SIZES) {
            double value = round(t, random.nextGaussian());
            DeviceBuffer out = poisoned(n, t);
            launch(Kernel.FILL, t, n, new KernelArgs(t).buffer("t", out).scalar("value", value).i32("n", n));
            double[] expected = new double[n];
            Arrays.fill(expected, value);
            assertMatches(expected, out, t, "fill n=" + n);
        }
    }

    @ParameterizedTest
    @EnumSource(CudaDtype.class)
    void add(CudaDtype t) {
        for (int n : SIZES) {
            double[] a = uniform(n, t, -2, 2), b = uniform(n, t, -2, 2);
            DeviceBuffer out = poisoned(n, t);
            launch(Kernel.ADD, t, n, new KernelArgs(t).buffer("a", input(a, t)).buffer("b", input(b, t))
                    .buffer("out", out).i32("n", n));
            Tensor expected = CPU.zeros(n);
            CPU.add(CPU.fromHost(a, n), CPU.fromHost(b, n), expected);
            assertMatches(expected.toHost(), out, t, "add n=" + n);
        }
    }

    @ParameterizedTest
    @EnumSource(CudaDtype.class)
    void axpy(CudaDtype t) {
        // the last size exceeds the elementwise grid cap, so the grid-stride loop goes round twice
        int beyondCap = LaunchGeometry.MAX_ELEMENTWISE_BLOCKS * LaunchGeometry.BLOCK_THREADS + 3;
        for (int n : append(SIZES, beyondCap)) { // released per size: the last takes about 270 MB in float64
            double alpha = round(t, random.nextGaussian());
            double[] x = uniform(n, t, -2, 2), y = uniform(n, t, -2, 2);
            DeviceBuffer out = accumulator(y, t);
            launch(Kernel.AXPY, t, n, new KernelArgs(t).scalar("alpha", alpha).buffer("x", input(x, t))
                    .buffer("y", out).i32("n", n));
            Tensor expected = CPU.fromHost(y, n);
            CPU.axpy(alpha, CPU.fromHost(x, n), expected);
            assertMatches(expected.toHost(), out, t, "axpy n=" + n);
            release();
        }
    }

    @ParameterizedTest
    @EnumSource(CudaDtype.class)
    void scale(CudaDtype t) {
        for (int n : SIZES) {
            double alpha = round(t, random.nextGaussian());
            double[] x = uniform(n, t, -2, 2);
            DeviceBuffer out = poisoned(n, t);
            launch(Kernel.SCALE, t, n, new KernelArgs(t).buffer("x", input(x, t)).scalar("alpha", alpha)
                    .buffer("out", out).i32("n", n));
            Tensor expected = CPU.zeros(n);
            CPU.scale(CPU.fromHost(x, n), alpha, expected);
            assertMatches(expected.toHost(), out, t, "scale n=" + n);
        }
    }

    // ---- activations ---------------------------------------------------------------------------
    @ParameterizedTest
    @EnumSource(CudaDtype.class)
    void activationForward(CudaDtype t) {
        for (Activation kind : Activation.values()) {
            for (int n : SIZES) {
                double[] x = uniform(n, t, -4, 4);
                DeviceBuffer y = poisoned(n, t);
                launch(Kernel.forward(kind), t, n, new KernelArgs(t).buffer("x", input(x, t)).buffer("y", y)
                        .i32("n", n));
                Tensor expected = CPU.zeros(n);
                CPU.activation(kind, CPU.fromHost(x, n), expected);
                assertMatches(expected.toHost(), y, t, kind + " forward n=" + n);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(CudaDtype.class)
    void activationBackward(CudaDtype t) {
        for (Activation kind : Activation.values()) {
            for (int n : SIZES) {
                double[] x = uniform(n, t, -4, 4), dy = uniform(n, t, -1, 1), dx = uniform(n, t, -1, 1);
                Tensor yCpu = CPU.zeros(n);
                CPU.activation(kind, CPU.fromHost(x, n), yCpu);
                double[] y = roundAll(t, yCpu.toHost());
                DeviceBuffer out = accumulator(dx, t);
                // ReLU's derivative reads x, sigmoid's and tanh's read the forward output y
                KernelArgs args = new KernelArgs(t);
                if (kind == Activation.RELU) args.buffer("x", input(x, t));
                else args.buffer("y", input(y, t));
                launch(Kernel.backward(kind), t, n, args.buffer("dy", input(dy, t)).buffer("dx", out).i32("n", n));
                Tensor expected = CPU.fromHost(dx, n);
                CPU.activationBackward(kind, CPU.fromHost(x, n), CPU.fromHost(y, n), CPU.fromHost(dy, n), expected);
                assertMatches(expected.toHost(), out, t, kind + " backward n=" + n);
            }
        }
    }

    // ---- bounded output map --------------------------------------------------------------------
    @ParameterizedTest
    @EnumSource(CudaDtype.class)
    void scaledTanh(CudaDtype t) {
        for (int[] s : SHAPES) {
            int rows = s[0], d = s[1], n = rows * d;
            double[] z = uniform(n, t, -3, 3), mid = uniform(d, t, -5, 5), half = uniform(d, t, 0.1, 4);
            DeviceBuffer xi = poisoned(n, t);
            launch(Kernel.SCALED_TANH_FORWARD, t, n, new KernelArgs(t).buffer("z", input(z, t))
                    .buffer("mid", input(mid, t))
                    .buffer("half", input(half, t)).buffer("xi", xi).i32("n", n).i32("d", d));
            Tensor expected = CPU.zeros(rows, d);
            CPU.scaledTanh(CPU.fromHost(z, rows, d), mid, half, expected);
            assertMatches(expected.toHost(), xi, t, "scaledTanh " + rows + "x" + d);
        }
    }

    @ParameterizedTest
    @EnumSource(CudaDtype.class)
    void scaledTanhBackward(CudaDtype t) {
        for (int[] s : SHAPES) {
            int rows = s[0], d = s[1], n = rows * d;
            double[] z = uniform(n, t, -3, 3), half = uniform(d, t, 0.1, 4);
            double[] dxi = uniform(n, t, -1, 1), dz = uniform(n, t, -1, 1);
            DeviceBuffer out = accumulator(dz, t);
            launch(Kernel.SCALED_TANH_BACKWARD, t, n, new KernelArgs(t).buffer("z", input(z, t))
                    .buffer("half", input(half, t)).buffer("dxi", input(dxi, t)).buffer("dz", out).i32("n", n)
                    .i32("d", d));
            Tensor expected = CPU.fromHost(dz, rows, d);
            CPU.scaledTanhBackward(CPU.fromHost(z, rows, d), half, CPU.fromHost(dxi, rows, d), expected);
            assertMatches(expected.toHost(), out, t, "scaledTanhBackward " + rows + "x" + d);
        }
    }

    // ---- losses --------------------------------------------------------------------------------
    @ParameterizedTest
    @EnumSource(CudaDtype.class)
    void rowMeanSquaredError(CudaDtype t) {
        for (int[] s : SHAPES) {
            int rows = s[0], m = s[1], n = rows * m;
            double[] a = uniform(n, t, -2, 2), b = uniform(n, t, -2, 2);
            DeviceBuffer loss = poisoned(rows, t);
            // one block per row
            cuda.kernels.launch(Kernel.ROW_MSE_FORWARD, t, rows, new KernelArgs(t).buffer("a", input(a, t))
                    .buffer("b", input(b, t)).buffer("loss", loss).i32("m", m));
            cuda.device.synchronize(Kernel.ROW_MSE_FORWARD.symbol(t));
            Tensor expected = CPU.zeros(rows);
            CPU.rowMeanSquaredError(CPU.fromHost(a, rows, m), CPU.fromHost(b, rows, m), expected);
            assertMatches(expected.toHost(), loss, t, "rowMeanSquaredError " + rows + "x" + m);
        }
    }

    @ParameterizedTest
    @EnumSource(CudaDtype.class)
    void rowMeanSquaredErrorBackward(CudaDtype t) {
        for (int[] s : SHAPES) {
            int rows = s[0], m = s[1], n = rows * m;
            double[] a = uniform(n, t, -2, 2), b = uniform(n, t, -2, 2);
            double[] dloss = uniform(rows, t, -1, 1), da = uniform(n, t, -1, 1);
            DeviceBuffer out = accumulator(da, t);
            launch(Kernel.ROW_MSE_BACKWARD, t, n, new KernelArgs(t).buffer("a", input(a, t)).buffer("b", input(b, t))
                    .buffer("dloss", input(dloss, t)).buffer("da", out).i32("n", n).i32("m", m));
            Tensor expected = CPU.fromHost(da, rows, m);
            CPU.rowMeanSquaredErrorBackward(CPU.fromHost(a, rows, m), CPU.fromHost(b, rows, m),
                    CPU.fromHost(dloss, rows), expected);
            assertMatches(expected.toHost(), out, t, "rowMeanSquaredErrorBackward " + rows + "x" + m);
        }
    }

    // ---- Adam ----------------------------------------------------------------------------------
    @ParameterizedTest
    @EnumSource(CudaDtype.class)
    void adamUpdate(CudaDtype t) {
        double lr = round(t, 1e-3), beta1 = round(t, 0.9), beta2 = round(t, 0.999), eps = round(t, 1e-8);
        double gradScale = round(t, 0.7);
        int step = 3;
        double c1 = 1 - Math.pow(beta1, step), c2 = 1 - Math.pow(beta2, step);
        for (int n : SIZES) {
            double[] p = uniform(n, t, -1, 1), g = uniform(n, t, -1, 1), m = uniform(n, t, -0.1, 0.1),
                    v = uniform(n, t, 0, 0.01);
            DeviceBuffer pd = accumulator(p, t), md = accumulator(m, t), vd = accumulator(v, t);
            launch(Kernel.ADAM_UPDATE, t, n, new KernelArgs(t).buffer("param", pd).buffer("grad", input(g, t))
                    .buffer("m", md).buffer("v", vd).scalar("lr", lr).scalar("beta1", beta1).scalar("beta2", beta2)
                    .scalar("eps", eps).scalar("c1", c1).scalar("c2", c2).scalar("gradScale", gradScale).i32("n", n));
            Tensor pc = CPU.fromHost(p, n), mc = CPU.fromHost(m, n), vc = CPU.fromHost(v, n);
            CPU.adamUpdate(pc, CPU.fromHost(g, n), mc, vc, lr, beta1, beta2, eps, step, gradScale);
            assertMatches(pc.toHost(), pd, t, "adam param n=" + n);
            assertMatches(mc.toHost(), md, t, "adam m n=" + n);
            assertMatches(vc.toHost(), vd, t, "adam v n=" + n);
        }
    }

    // ---- reductions ----------------------------------------------------------------------------
    @ParameterizedTest
    @EnumSource(CudaDtype.class)
    void sumAndSumOfSquaresAreDeterministic(CudaDtype t) {
        for (int n : SIZES) {
            double[] x = uniform(n, t, -1, 1);
            DeviceBuffer xd = input(x, t);
            Tensor xc = CPU.fromHost(x, n);
            double[] sum = reduce(Kernel.SUM_PARTIALS, xd, t);
            double[] squares = reduce(Kernel.SUM_OF_SQUARES_PARTIALS, xd, t);
            assertMatches(new double[] {CPU.sum(xc)}, sum, "sum n=" + n, t);
            assertMatches(new double[] {CPU.sumOfSquares(xc)}, squares, "sumOfSquares n=" + n, t);
            assertArrayEquals(sum, reduce(Kernel.SUM_PARTIALS, xd, t), "sum n=" + n + " differs between two runs");
            release();
        }
    }

    /** Both passes; returns the result followed by the guard of the one-element output. */
    private double[] reduce(Kernel partialsKernel, DeviceBuffer x, CudaDtype t) {
        int n = x.length(), blocks = LaunchGeometry.reductionBlocks(n);
        DeviceBuffer partials = poisoned(blocks, CudaDtype.FLOAT64), out = poisoned(1, CudaDtype.FLOAT64);
        cuda.kernels.launch(partialsKernel, t, blocks, new KernelArgs(t).buffer("x", x).i32("n", n)
                .buffer("partials", partials));
        cuda.kernels.launch(Kernel.REDUCE_PARTIALS, CudaDtype.FLOAT64, 1, new KernelArgs(CudaDtype.FLOAT64)
                .buffer("partials", partials).i32("count", blocks).buffer("out", out));
        cuda.device.synchronize(partialsKernel.symbol(t) + " and " + Kernel.REDUCE_PARTIALS.symbol(t));
        assertGuard(partials.download(), blocks, "partials of " + partialsKernel.symbol(t));
        return out.download();
    }

    // ---- helpers -------------------------------------------------------------------------------
    private void launch(Kernel k, CudaDtype t, int n, KernelArgs args) {
        cuda.kernels.launch(k, t, LaunchGeometry.elementwiseBlocks(n), args);
        cuda.device.synchronize(k.symbol(t) + "(" + args + ")");
    }

    private static double round(CudaDtype t, double v) {
        return t == CudaDtype.FLOAT32 ? (float) v : v;
    }

    private static double[] roundAll(CudaDtype t, double[] v) {
        for (int i = 0; i < v.length; i++) v[i] = round(t, v[i]);
        return v;
    }

    private double[] uniform(int n, CudaDtype t, double lo, double hi) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = round(t, lo + (hi - lo) * random.nextDouble());
        return v;
    }

    private static int[] append(int[] a, int v) {
        int[] out = Arrays.copyOf(a, a.length + 1);
        out[a.length] = v;
        return out;
    }

    private DeviceBuffer track(DeviceBuffer b) {
        buffers.add(b);
        return b;
    }

    private DeviceBuffer input(double[] values, CudaDtype t) {
        DeviceBuffer b = track(cuda.memory.buffer(values.length, t));
        b.upload(values);
        return b;
    }

    /** n elements the kernel must overwrite, then the guard, all NaN. */
    private DeviceBuffer poisoned(int n, CudaDtype t) {
        double[] nan = new double[n + GUARD];
        Arrays.fill(nan, Double.NaN);
        return input(nan, t);
    }

    /** {@code initial} (the kernel accumulates into it), then the NaN guard. */
    private DeviceBuffer accumulator(double[] initial, CudaDtype t) {
        double[] v = Arrays.copyOf(initial, initial.length + GUARD);
        Arrays.fill(v, initial.length, v.length, Double.NaN);
        return input(v, t);
    }

    @AfterEach
    void release() {
        for (DeviceBuffer b : buffers) b.close();
        buffers.clear();
    }

    private void assertMatches(double[] expected, DeviceBuffer actual, CudaDtype t, String what) {
        assertMatches(expected, actual.download(), what, t);
    }

    private void assertMatches(double[] expected, double[] actualWithGuard, String what, CudaDtype t) {
        double tolerance = t == CudaDtype.FLOAT64 ? 1e-10 : 1e-4;
        double maxDiff = 0, scale = Double.MIN_NORMAL;
        int worst = -1;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs(actualWithGuard[i] - expected[i]);
            if (!(d <= maxDiff)) { // NaN, the poison, counts as the worst
                maxDiff = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
                worst = i;
            }
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        double rel = maxDiff / scale;
        if (!(rel <= tolerance)) {
            fail(String.format("%s %s: relative error %.3g > %.0e at [%d]: gpu %s, cpu %s (seed %d)", what, t, rel,
                    tolerance, worst, actualWithGuard[worst], expected[worst], seed));
        }
        assertGuard(actualWithGuard, expected.length, what + " " + t);
    }

    private void assertGuard(double[] values, int n, String what) {
        for (int i = n; i < values.length; i++) {
            assertTrue(Double.isNaN(values[i]), what + ": wrote past its end at [" + i + "] (seed " + seed + ")");
        }
    }
}
