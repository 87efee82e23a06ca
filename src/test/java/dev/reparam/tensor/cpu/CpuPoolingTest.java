package dev.reparam.tensor.cpu;

import dev.reparam.tensor.Backend;
import dev.reparam.tensor.Tensor;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The flat 1 x k path of max pooling against the general per-plane path, bit for bit. A row one
 * element longer than the windows cover sends the same values through the general path (the flat
 * one needs windows that tile the row), so the two are compared on ties, signed zeros and NaN.
 */
class CpuPoolingTest {
    private static final Backend BE = CpuBackend.INSTANCE;

    private static double[] values(SplittableRandom rng, int count) {
        double[] pool = {0.0, -0.0, 1.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        double[] v = new double[count];
        for (int i = 0; i < count; i++) v[i] = rng.nextInt(3) == 0 ? pool[rng.nextInt(pool.length)]
                : rng.nextInt(-3, 4);
        return v;
    }

    @Test
    void flatPathMatchesGeneralPathBitForBit() {
        SplittableRandom rng = new SplittableRandom(11);
        for (int k : new int[] {2, 3}) {
            // enough windows for several parallel chunks
            int planes = 6, windows = 5000, len = windows * k;
            double[] flat = values(rng, planes * len), padded = new double[planes * (len + 1)];
            for (int p = 0; p < planes; p++) System.arraycopy(flat, p * len, padded, p * (len + 1), len);
            double[] dy = values(rng, planes * windows);
            for (int i = 0; i < dy.length; i++) if (Double.isNaN(dy[i]) || Double.isInfinite(dy[i])) dy[i] = i;
            Tensor xf = BE.fromHost(flat, 2, 3, 1, len), xg = BE.fromHost(padded, 2, 3, 1, len + 1);
            Tensor yf = BE.zeros(2, 3, 1, windows), yg = BE.zeros(2, 3, 1, windows);
            BE.maxPool2d(xf, 1, k, yf);
            BE.maxPool2d(xg, 1, k, yg);
            Tensor g = BE.fromHost(dy, 2, 3, 1, windows), df = BE.zeros(xf.shape()), dg = BE.zeros(xg.shape());
            BE.maxPool2dBackward(xf, 1, k, g, df);
            BE.maxPool2dBackward(xg, 1, k, g, dg);
            double[] yfs = yf.toHost(), ygs = yg.toHost(), dfs = df.toHost(), dgs = dg.toHost();
            for (int i = 0; i < yfs.length; i++) {
                assertEquals(Double.doubleToRawLongBits(ygs[i]), Double.doubleToRawLongBits(yfs[i]),
                        "y at " + i + ", k " + k);
            }
            for (int p = 0; p < planes; p++) {
                for (int i = 0; i < len; i++) {
                    int at = p * len + i;
                    assertEquals(Double.doubleToRawLongBits(dgs[p * (len + 1) + i]),
                            Double.doubleToRawLongBits(dfs[at]), "dx at " + at + ", k " + k);
                }
            }
        }
    }
}
