package dev.reparam.cuda;

import dev.reparam.optim.BatchedLbfgs;
import dev.reparam.optim.BatchedObjective;
import dev.reparam.optim.LbfgsOptions;
import dev.reparam.optim.LbfgsResult;
import dev.reparam.optim.LbfgsVectors;
import dev.reparam.optim.StopReason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The device L-BFGS vectors (kernels/lbfgs.cu through {@link CudaLbfgsVectors}) against the host
 * reference {@link LbfgsVectors#HOST}: the same calls on random histories give the same
 * directions to 1e-10 (float64), and a whole batched run gives the same iterates. Needs a GPU.
 */
@Tag("gpu")
class CudaLbfgsVectorsParityTest {
    private static CudaBackend backend;
    private final long seed = System.nanoTime();
    private final Random random = new Random(seed);

    @BeforeAll
    static void open() {
        CudaAvailability a = CudaAvailability.probe();
        assumeTrue(a.available(), "CUDA unavailable: " + a.detail());
        backend = CudaBackend.open(CudaDtype.FLOAT64);
    }

    @AfterAll
    static void close() {
        if (backend != null) backend.close();
    }

    /**
     * Problems of sizes around the warp width (1, 31, 32, 33, 200) and memory m = 3, each with
     * its own number of stored pairs (0, fewer than m, and more than m so the ring wraps), built by
     * the same random calls on both implementations; then d = -H g on all of them, compared through
     * g'd, d'd and the trial point x + d.
     */
    @Test
    void twoLoopDirectionMatchesTheHostOnRandomHistories() {
        int m = 3;
        for (int dim : new int[] {1, 31, 32, 33, 200}) {
            int n = 13;
            double[] x0 = gaussian(n * dim);
            try (LbfgsVectors host = LbfgsVectors.HOST.create(n, dim, m, x0);
                 LbfgsVectors gpu = backend.lbfgsVectors().create(n, dim, m, x0)) {
                int[] all = range(n);
                both(host, gpu, v -> v.storeEvaluated(all, gradientRows(n, dim)));
                boolean[] fh = new boolean[n], fg = new boolean[n];
                double[] ah = new double[n], ag = new double[n];
                host.adoptStart(all, ah, fh);
                gpu.adoptStart(all, ag, fg);
                assertArrayEquals(ah, ag, 0, "max |g| at start (seed " + seed + ")");
                // problem p receives p pairs (0 .. 12 with m = 3: empty, partial and wrapped rings)
                for (int round = 0; round < n; round++) {
                    int r = round;
                    int[] list = Arrays.stream(all).filter(p -> p > r).toArray();
                    if (list.length == 0) break;
                    double[] stp = positive(list.length), sy = positive(list.length);
                    double[] g = gradientRows(list.length, dim);
                    // one iteration's operations, in the algorithm's order
                    both(host, gpu, v -> v.direction(list, new double[list.length], new double[list.length]));
                    both(host, gpu, v -> v.setTrial(list, stp, new boolean[list.length]));
                    both(host, gpu, v -> v.storeEvaluated(list, g));
                    both(host, gpu, v -> v.finish(list, new double[list.length]));
                    both(host, gpu, v -> v.push(list, stp, sy));
                }
                double[] gdH = new double[n], ddH = new double[n], gdG = new double[n], ddG = new double[n];
                host.direction(all, gdH, ddH);
                gpu.direction(all, gdG, ddG);
                String at = "dim " + dim + " (seed " + seed + ")";
                assertClose(gdH, gdG, at + " g'd");
                assertClose(ddH, ddG, at + " d'd");
                double[] ones = new double[n];
                Arrays.fill(ones, 1);
                host.setTrial(all, ones, new boolean[n]);
                gpu.setTrial(all, ones, new boolean[n]);
                double[] th = new double[n * dim], tg = new double[n * dim];
                host.trialPoints(all, th);
                gpu.trialPoints(all, tg);
                assertClose(th, tg, at + " x + d");
                double[] xh = new double[n * dim], xg = new double[n * dim];
                host.positions(xh);
                gpu.positions(xg);
                assertClose(xh, xg, at + " x");
            }
        }
    }

    @Test
    void batchedRunGivesTheHostsIterates() {
        int n = 40, dim = 7;
        double[] x0 = new double[n * dim];
        for (int i = 0; i < x0.length; i++) x0[i] = 1.5 * random.nextGaussian();
        BatchedObjective objective = scaledRosenbrock(n, dim);
        LbfgsOptions options = LbfgsOptions.defaults().withMemory(5);
        LbfgsResult host = BatchedLbfgs.minimize(objective, x0, options, null);
        LbfgsResult gpu = BatchedLbfgs.minimize(objective, x0, options, null, backend.lbfgsVectors());
        assertArrayEquals(host.iterations(), gpu.iterations(), "nit (seed " + seed + ")");
        assertArrayEquals(host.evaluations(), gpu.evaluations(), "nfev (seed " + seed + ")");
        assertArrayEquals(host.reasons(), gpu.reasons());
        assertEquals(host.batchedEvaluations(), gpu.batchedEvaluations());
        assertClose(host.x(), gpu.x(), "final x (seed " + seed + ")");
        assertClose(host.f(), gpu.f(), "final f (seed " + seed + ")");
        for (int k = 0; k < host.lossHistory().length; k++) {
            assertClose(host.lossHistory()[k], gpu.lossHistory()[k], "f after iteration " + k + " (seed " + seed + ")");
        }
    }

    @Test
    void float32VectorsStillMinimise() {
        int n = 16, dim = 5;
        double[] x0 = new double[n * dim];
        for (int i = 0; i < x0.length; i++) x0[i] = random.nextGaussian();
        try (CudaBackend f32 = CudaBackend.open(CudaDtype.FLOAT32)) {
            BatchedObjective objective = scaledRosenbrock(n, dim);
            LbfgsResult r = BatchedLbfgs.minimize(objective, x0, LbfgsOptions.defaults(), null, f32.lbfgsVectors());
            double[] f0 = new double[n];
            objective.evaluate(range(n), x0, f0, new double[n * dim]);
            for (int p = 0; p < n; p++) {
                assertTrue(r.reasons()[p] != StopReason.NON_FINITE, "problem " + p + " " + r.reasons()[p]);
                assertTrue(r.f()[p] < 1e-4 * f0[p], "problem " + p + ": f " + f0[p] + " -> " + r.f()[p] + " (seed " + seed + ")");
            }
        }
    }

    /** sum_i (1 + p/10) [100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2]: a differently scaled Rosenbrock per problem. */
    private static BatchedObjective scaledRosenbrock(int n, int dim) {
        return new BatchedObjective() {
            public int size() { return n; }
            public int dim() { return dim; }
            public void evaluate(int[] problems, double[] x, double[] f, double[] g) {
                for (int j = 0; j < problems.length; j++) {
                    int o = j * dim;
                    double c = 1 + problems[j] / 10.0, fj = 0;
                    Arrays.fill(g, o, o + dim, 0);
                    for (int i = 0; i < dim - 1; i++) {
                        double a = x[o + i + 1] - x[o + i] * x[o + i], b = 1 - x[o + i];
                        fj += c * (100 * a * a + b * b);
                        g[o + i] += c * (-400 * x[o + i] * a - 2 * b);
                        g[o + i + 1] += c * 200 * a;
                    }
                    f[j] = fj;
                }
            }
        };
    }

    private interface Call {
        void on(LbfgsVectors v);
    }

    private static void both(LbfgsVectors host, LbfgsVectors gpu, Call call) {
        call.on(host);
        call.on(gpu);
    }

    private static void assertClose(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        double scale = 0, err = 0;
        for (double e : expected) scale = Math.max(scale, Math.abs(e));
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs(actual[i] - expected[i]);
            err = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(err, d);
        }
        double rel = scale == 0 ? err : err / scale;
        assertTrue(rel < 1e-10, what + ": relative error " + rel);
    }

    private double[] gaussian(int len) {
        double[] v = new double[len];
        for (int i = 0; i < len; i++) v[i] = random.nextGaussian();
        return v;
    }

    private double[] gradientRows(int rows, int dim) {
        return gaussian(rows * dim);
    }

    private double[] positive(int len) {
        double[] v = new double[len];
        for (int i = 0; i < len; i++) v[i] = 0.1 + random.nextDouble();
        return v;
    }

    private static int[] range(int n) {
        int[] ids = new int[n];
        for (int p = 0; p < n; p++) ids[p] = p;
        return ids;
    }
}
