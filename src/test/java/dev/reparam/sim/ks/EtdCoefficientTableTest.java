package dev.reparam.sim.ks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packed table the CUDA kernels read holds exactly the CPU solver's coefficients and twiddles, in KsTable's order.
 */
class EtdCoefficientTableTest {
    @ParameterizedTest
    @ValueSource(ints = {4, 8, 64, 128, 1024})
    void sectionsAreTheCpuArraysInKernelOrder(int n) {
        double length = 32 * Math.PI, dt = 0.25;
        double[] t = EtdCoefficientTable.pack(n, length, dt);
        EtdCoefficients co = new EtdCoefficients(n, length, dt);
        int modes = n / 2 + 1, h = n / 2, q = h / 2;
        assertEquals(9 * modes + 2 * h + 2 * q, t.length);
        assertEquals(t.length, EtdCoefficientTable.length(n));
        double[][] expected = {co.e, co.e2, co.q, co.f1, co.f2, co.f3, co.gIm, co.forcingRe, co.forcingIm};
        for (int a = 0; a < expected.length; a++) {
            assertArrayEquals(expected[a], Arrays.copyOfRange(t, a * modes, (a + 1) * modes), 0.0, "mode array " + a);
        }
        int at = 9 * modes;
        for (int m = 0; m < h; m++) {
            assertEquals(Math.cos(2 * Math.PI * m / n), t[at + m], 0.0, "real-FFT cos " + m);
            assertEquals(Math.sin(2 * Math.PI * m / n), t[at + h + m], 0.0, "real-FFT sin " + m);
        }
        at += 2 * h;
        for (int i = 0; i < q; i++) {
            assertEquals(Math.cos(2 * Math.PI * i / h), t[at + i], 0.0, "complex-FFT cos " + i);
            assertEquals(Math.sin(2 * Math.PI * i / h), t[at + q + i], 0.0, "complex-FFT sin " + i);
        }
    }

    /**
     * The twiddles are the ones the CPU transform uses: the table's real FFT of a signal equals RealFft's bit for bit.
     */
    @Test
    void twiddlesReproduceTheCpuTransform() {
        int n = 32, h = n / 2, q = h / 2;
        double[] t = EtdCoefficientTable.pack(n, 22, 0.25);
        double[] x = new double[n];
        for (int j = 0; j < n; j++) x[j] = Math.sin(0.3 * j * j) + 0.1 * j;
        double[] re = new double[h + 1], im = new double[h + 1];
        new RealFft(n).forward(x, 0, re, im);
        double[] rcos = Arrays.copyOfRange(t, 9 * (h + 1), 9 * (h + 1) + h);
        double[] rsin = Arrays.copyOfRange(t, 9 * (h + 1) + h, 9 * (h + 1) + 2 * h);
        double[] ccos = Arrays.copyOfRange(t, 9 * (h + 1) + 2 * h, 9 * (h + 1) + 2 * h + q);
        double[] csin = Arrays.copyOfRange(t, 9 * (h + 1) + 2 * h + q, t.length);
        double[][] mine = ReferenceRealFft.forward(x, rcos, rsin, ccos, csin);
        assertArrayEquals(re, mine[0], 0.0);
        assertArrayEquals(im, mine[1], 0.0);
    }

    @Test
    void rejectsSizesTheFftCannotTake() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EtdCoefficientTable.pack(96, 22, 0.25));
        assertTrue(e.getMessage().contains("96"), e.getMessage());
    }

    /** The kernels' transform written out from the table alone (ks_fft.cuh's loops, sequential). */
    private static final class ReferenceRealFft {
        static double[][] forward(double[] x, double[] rcos, double[] rsin, double[] ccos, double[] csin) {
            int n = x.length, h = n / 2, bits = Integer.numberOfTrailingZeros(h);
            double[] zr = new double[h], zi = new double[h];
            for (int j = 0; j < h; j++) {
                zr[j] = x[2 * j];
                zi[j] = x[2 * j + 1];
            }
            for (int i = 0; i < h; i++) {
                int j = Integer.reverse(i) >>> (32 - bits);
                if (j > i) {
                    double s = zr[i]; zr[i] = zr[j]; zr[j] = s;
                    s = zi[i]; zi[i] = zi[j]; zi[j] = s;
                }
            }
            for (int len = 2; len <= h; len <<= 1) {
                int half = len / 2, stride = h / len;
                for (int b = 0; b < h / 2; b++) {
                    int k = b % half, a = b / half * len + k, c = a + half;
                    double wr = len == 2 ? 1 : ccos[k * stride], wi = len == 2 ? 0 : -csin[k * stride];
                    double xr = zr[c] * wr - zi[c] * wi, xi = zr[c] * wi + zi[c] * wr;
                    zr[c] = zr[a] - xr;
                    zi[c] = zi[a] - xi;
                    zr[a] += xr;
                    zi[a] += xi;
                }
            }
            double[] re = new double[h + 1], im = new double[h + 1];
            re[0] = zr[0] + zi[0];
            re[h] = zr[0] - zi[0];
            for (int m = 1; m < h; m++) {
                int p = h - m;
                double er = 0.5 * (zr[m] + zr[p]), ei = 0.5 * (zi[m] - zi[p]);
                double or = 0.5 * (zi[m] + zi[p]), oi = -0.5 * (zr[m] - zr[p]);
                re[m] = er + rcos[m] * or + rsin[m] * oi;
                im[m] = ei + rcos[m] * oi - rsin[m] * or;
            }
            return new double[][] {re, im};
        }
    }
}
