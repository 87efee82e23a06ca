package dev.reparam.tensor.cpu;

import dev.reparam.tensor.Activation;
import dev.reparam.tensor.Backend;
import dev.reparam.tensor.Tensor;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Forward values of the CPU layer kernels against hand-computed numbers and naive references. */
class CpuLayerKernelsTest {
    private static final Backend BE = CpuBackend.INSTANCE;
    private final SplittableRandom rng = new SplittableRandom(5);

    private Tensor random(int... shape) {
        double[] v = new double[Tensor.sizeOf(shape)];
        for (int i = 0; i < v.length; i++) v[i] = 2 * rng.nextDouble() - 1;
        return BE.fromHost(v, shape);
    }

    @Test
    void linearByHand() {
        Tensor x = BE.fromHost(new double[] {1, 2, 3, -1, 0, 1}, 2, 3);
        Tensor w = BE.fromHost(new double[] {1, 0, -1, 0.5, 0.5, 0.5}, 2, 3);
        Tensor y = BE.zeros(2, 2);
        BE.linear(x, w, BE.fromHost(new double[] {10, 20}, 2), y);
        assertArrayEquals(new double[] {1 - 3 + 10, 3 + 20, -1 - 1 + 10, 0 + 20}, y.toHost(), 1e-15);
    }

    @Test
    void conv1dByHand() {
        // x = [1 2 3 4], w = [1 0 -1], pad 1: y[t] = x[t-1] - x[t+1] with zeros outside
        Tensor y = BE.zeros(1, 1, 4);
        BE.conv1d(BE.fromHost(new double[] {1, 2, 3, 4}, 1, 1, 4), BE.fromHost(new double[] {1, 0, -1}, 1, 1, 3),
                BE.fromHost(new double[] {0.5}, 1), 1, y);
        assertArrayEquals(new double[] {-2 + 0.5, 1 - 3 + 0.5, 2 - 4 + 0.5, 3 + 0.5}, y.toHost(), 1e-15);
    }

    /** Kernel widths below, at and above the four-tap blocks, and images narrower than the kernel. */
    @Test
    void conv2dMatchesNaiveReference() {
        int[][] cases = {{5, 6, 3, 2, 1, 2}, {4, 9, 2, 5, 0, 2}, {3, 11, 1, 6, 1, 1}, {2, 3, 2, 5, 0, 2},
                {3, 13, 3, 9, 1, 4}};
        for (int[] k : cases) checkConv2d(k[0], k[1], k[2], k[3], k[4], k[5]);
    }

    /**
     * Batches long enough to span several blocks of positions, with samples straddling block
     * edges and a short last block; one input channel (few rows: dot products) and several
     * (vector loops along rows); padding wider than the kernel (the input gradient then crops).
     */
    @Test
    void convolutionsAcrossBlocksMatchNaiveReference() {
        checkConv2d(7, 4, 3, 1, 75, 1, 5, 0, 2);
        checkConv2d(9, 1, 5, 1, 61, 1, 5, 0, 2);
        checkConv2d(5, 3, 4, 9, 13, 3, 3, 1, 1);
        checkConv2d(3, 2, 2, 1, 40, 1, 3, 0, 4);
        // 257 positions: the second block starts in the last sample's right padding, past the source's end
        checkConv2d(1, 1, 1, 1, 253, 1, 5, 0, 2);
        checkConv2d(1, 2, 3, 1, 252, 1, 5, 0, 3);
    }

    private void checkConv2d(int h, int w, int kh, int kw, int ph, int pw) {
        checkConv2d(2, 3, 2, h, w, kh, kw, ph, pw);
    }

    private void checkConv2d(int b, int cin, int cout, int h, int w, int kh, int kw, int ph, int pw) {
        Tensor x = random(b, cin, h, w), k = random(cout, cin, kh, kw), bias = random(cout);
        int oh = h + 2 * ph - kh + 1, ow = w + 2 * pw - kw + 1;
        Tensor y = BE.zeros(b, cout, oh, ow), dy = random(b, cout, oh, ow);
        Tensor dx = BE.zeros(b, cin, h, w), dk = BE.zeros(cout, cin, kh, kw), db = BE.zeros(cout);
        BE.conv2d(x, k, bias, ph, pw, y);
        BE.conv2dBackward(x, k, dy, ph, pw, dx, dk, db);
        double[] xs = x.toHost(), ks = k.toHost(), bs = bias.toHost(), gs = dy.toHost();
        double[] expected = new double[y.size()], edx = new double[dx.size()], edk = new double[dk.size()],
                edb = new double[cout];
        for (int yi = 0; yi < expected.length; yi++) { // output (n, co, i, j), row-major
            int n = yi / (cout * oh * ow), co = yi / (oh * ow) % cout, i = yi / ow % oh, j = yi % ow;
            double s = bs[co];
            edb[co] += gs[yi];
            for (int ci = 0; ci < cin; ci++) for (int a = 0; a < kh; a++) for (int c = 0; c < kw; c++) {
                int r = i + a - ph, q = j + c - pw;
                if (r < 0 || r >= h || q < 0 || q >= w) continue;
                int ki = ((co * cin + ci) * kh + a) * kw + c, xi = ((n * cin + ci) * h + r) * w + q;
                s += ks[ki] * xs[xi];
                edx[xi] += ks[ki] * gs[yi];
                edk[ki] += xs[xi] * gs[yi];
            }
            expected[yi] = s;
        }
        String what = "conv " + b + "x" + cin + "x" + h + "x" + w + " to " + cout + " kernel " + kh + "x" + kw
                + " pad " + ph + "," + pw;
        assertArrayEquals(expected, y.toHost(), 1e-13, what);
        assertArrayEquals(edx, dx.toHost(), 1e-13, what + " dx");
        assertArrayEquals(edk, dk.toHost(), 1e-13, what + " dw");
        assertArrayEquals(edb, db.toHost(), 1e-13, what + " db");
    }

    @Test
    void conv1dIsConv2dWithUnitHeight() {
        Tensor x = random(3, 2, 11), k = random(4, 2, 5), bias = random(4);
        Tensor y1 = BE.zeros(3, 4, 9), y2 = BE.zeros(3, 4, 1, 9);
        BE.conv1d(x, k, bias, 1, y1);
        BE.conv2d(x.reshape(3, 2, 1, 11), k.reshape(4, 2, 1, 5), bias, 0, 1, y2);
        assertArrayEquals(y2.toHost(), y1.toHost(), 0.0);
    }

    @Test
    void batchNormMatchesDefinition() {
        // x[B=2, C=2, S=2]: channel 0 holds 1, 2, 3, 6; channel 1 holds 0, 0, 4, 4
        Tensor x = BE.fromHost(new double[] {1, 2, 0, 0, 3, 6, 4, 4}, 2, 2, 2);
        Tensor y = BE.zeros(2, 2, 2), mean = BE.zeros(2), invStd = BE.zeros(2);
        BE.batchNorm(x, BE.fromHost(new double[] {2, 1}, 2), BE.fromHost(new double[] {0, -1}, 2), 1e-5, y, mean,
                invStd);
        assertArrayEquals(new double[] {3, 2}, mean.toHost(), 1e-15);
        double inv0 = 1 / Math.sqrt(3.5 + 1e-5), inv1 = 1 / Math.sqrt(4 + 1e-5);
        assertArrayEquals(new double[] {inv0, inv1}, invStd.toHost(), 1e-15);
        assertArrayEquals(new double[] {-4 * inv0, -2 * inv0, -2 * inv1 - 1, -2 * inv1 - 1,
                0, 6 * inv0, 2 * inv1 - 1, 2 * inv1 - 1}, y.toHost(), 1e-14);

        Tensor z = BE.zeros(2, 2, 2);
        BE.batchNormInference(x, BE.fromHost(new double[] {2, 1}, 2), BE.fromHost(new double[] {0, -1}, 2),
                BE.fromHost(new double[] {3, 2}, 2), BE.fromHost(new double[] {3.5, 4}, 2), 1e-5, z);
        assertArrayEquals(y.toHost(), z.toHost(), 1e-14);
    }

    /**
     * A large common offset under a small spread: E[x^2] - E[x]^2 would lose every digit of the
     * variance here (1e12 against 1e-4); the kernel's statistics must match a two-pass reference
     * to the bound of its method.
     */
    @Test
    void batchNormStatisticsSurviveALargeOffset() {
        int batch = 24, ch = 3, s = 37;
        double[] v = new double[batch * ch * s];
        SplittableRandom r = new SplittableRandom(8);
        for (int i = 0; i < v.length; i++) v[i] = 1e6 * (1 + (i / s) % ch) + 1e-2 * r.nextGaussian();
        Tensor y = BE.zeros(batch, ch, s), mean = BE.zeros(ch), invStd = BE.zeros(ch);
        BE.batchNorm(BE.fromHost(v, batch, ch, s), BE.fromHost(new double[] {1, 1, 1}, ch), BE.zeros(ch), 1e-12,
                y, mean, invStd);
        for (int c = 0; c < ch; c++) {
            double sum = 0, sq = 0;
            for (int n = 0; n < batch; n++) for (int i = 0; i < s; i++) sum += v[(n * ch + c) * s + i];
            double mu = sum / (batch * s);
            for (int n = 0; n < batch; n++) for (int i = 0; i < s; i++) sq += Math.pow(v[(n * ch + c) * s + i] - mu, 2);
            assertEquals(mu, mean.toHost()[c], 1e-13 * Math.abs(mu)); // both sums round at about n eps
            double inv = 1 / Math.sqrt(sq / (batch * s) + 1e-12);
            // Merging rows by their means errs by about kappa eps relatively, kappa = |mean| / sd
            // (a row mean rounds at eps |mean| and enters squared row-to-row differences), where
            // the sum-of-squares formula errs by kappa^2 eps, here about 10.
            double kappa = Math.abs(mu) * inv;
            assertEquals(inv, invStd.toHost()[c], 20 * kappa * 0x1p-53 * inv, "channel " + c);
        }
    }

    @Test
    void maxPoolFloorsAndRoutesTiesToTheFirstMaximum() {
        // one 3x5 plane, 2x2 windows: rows 0-1, columns 0-1 and 2-3; last row and column dropped
        Tensor x = BE.fromHost(new double[] {
                1, 7, 2, 2, 9,
                7, 3, 2, 0, 9,
                9, 9, 9, 9, 9}, 1, 1, 3, 5);
        Tensor y = BE.zeros(1, 1, 1, 2);
        BE.maxPool2d(x, 2, 2, y);
        assertArrayEquals(new double[] {7, 2}, y.toHost(), 0.0);
        Tensor dx = BE.fromHost(new double[15], 1, 1, 3, 5);
        BE.fill(dx, 1);
        BE.maxPool2dBackward(x, 2, 2, BE.fromHost(new double[] {10, 20}, 1, 1, 1, 2), dx);
        assertArrayEquals(new double[] {1, 11, 21, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, dx.toHost(), 0.0);
    }

    @Test
    void positionalEncodingLayout() {
        Tensor y = BE.zeros(1, 10);
        BE.positionalEncoding(BE.fromHost(new double[] {0.25, -0.5}, 1, 2), 2, y);
        double p = Math.PI;
        assertArrayEquals(new double[] {0.25, Math.sin(p / 4), Math.cos(p / 4), Math.sin(p / 2), Math.cos(p / 2),
                -0.5, Math.sin(-p / 2), Math.cos(-p / 2), Math.sin(-p), Math.cos(-p)}, y.toHost(), 1e-15);
    }

    @Test
    void activationsAndReluKink() {
        Tensor x = BE.fromHost(new double[] {-1, 0, 2}, 1, 3);
        for (Activation a : Activation.values()) {
            Tensor y = BE.zeros(1, 3), dx = BE.zeros(1, 3);
            BE.activation(a, x, y);
            BE.activationBackward(a, x, y, BE.fromHost(new double[] {1, 1, 1}, 1, 3), dx);
            double[] yv = y.toHost(), g = dx.toHost();
            for (int i = 0; i < 3; i++) {
                double v = x.toHost()[i];
                double[] expected = switch (a) {
                    case RELU -> new double[] {Math.max(v, 0), v > 0 ? 1 : 0};
                    case SIGMOID -> new double[] {1 / (1 + Math.exp(-v)), Math.exp(-v) / Math.pow(1 + Math.exp(-v), 2)};
                    case TANH -> new double[] {Math.tanh(v), 1 / Math.pow(Math.cosh(v), 2)};
                };
                assertEquals(expected[0], yv[i], 1e-15, a + " value at " + v);
                assertEquals(expected[1], g[i], 1e-15, a + " slope at " + v);
            }
        }
    }

    @Test
    void backwardAccumulatesAndSkipsNullGradients() {
        Tensor x = random(2, 3), w = random(4, 3), dy = random(2, 4);
        Tensor dx = BE.zeros(2, 3), dw = BE.zeros(4, 3);
        BE.linearBackward(x, w, dy, dx, dw, null);
        double[] once = dx.toHost(), onceW = dw.toHost();
        BE.linearBackward(x, w, dy, dx, null, null);
        double[] twice = dx.toHost();
        for (int i = 0; i < once.length; i++) assertEquals(2 * once[i], twice[i], 1e-15);
        assertArrayEquals(onceW, dw.toHost(), 0.0);
    }

    @Test
    void kernelsReadAndWriteViewsAtTheirOffsets() {
        Tensor flat = BE.fromHost(new double[] {9, 9, 1, 2, 3, 9}, 6);
        Tensor out = BE.zeros(8);
        BE.conv1d(flat.view(2, 1, 1, 3), BE.fromHost(new double[] {2}, 1, 1, 1), null, 0, out.view(3, 1, 1, 3));
        assertArrayEquals(new double[] {0, 0, 0, 2, 4, 6, 0, 0}, out.toHost(), 0.0);
    }
}
