package dev.reparam.sim.ks;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The real FFT against a naive DFT, and the transpose identities the adjoint relies on. */
class RealFftTest {
    @ParameterizedTest
    @ValueSource(ints = {4, 8, 64, 128})
    void forwardAndInverseMatchNaiveSums(int n) {
        SplittableRandom rng = new SplittableRandom(n);
        double[] x = new double[n];
        for (int j = 0; j < n; j++) x[j] = rng.nextGaussian();
        RealFft fft = new RealFft(n);
        double[] re = new double[n / 2 + 1], im = new double[n / 2 + 1], back = new double[n];
        fft.forward(x, 0, re, im);
        for (int m = 0; m <= n / 2; m++) {
            double sr = 0, si = 0;
            for (int j = 0; j < n; j++) {
                sr += x[j] * Math.cos(2 * Math.PI * m * j / n);
                si -= x[j] * Math.sin(2 * Math.PI * m * j / n);
            }
            assertEquals(sr, re[m], 1e-12 * n, "re X_" + m);
            assertEquals(si, im[m], 1e-12 * n, "im X_" + m);
        }
        assertEquals(0.0, im[0], 0.0);
        assertEquals(0.0, im[n / 2], 0.0);
        fft.inverse(re, im, back, 0);
        for (int j = 0; j < n; j++) assertEquals(x[j], back[j] / n, 1e-13, "x_" + j);
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 128})
    void transposesUsedByTheAdjoint(int n) {
        SplittableRandom rng = new SplittableRandom(7 * n);
        int h = n / 2 + 1;
        double[] x = new double[n], y = new double[n], xr = new double[h], xi = new double[h];
        for (int j = 0; j < n; j++) {
            x[j] = rng.nextGaussian();
            y[j] = rng.nextGaussian();
        }
        for (int m = 0; m < h; m++) {
            xr[m] = rng.nextGaussian();
            xi[m] = m == 0 || m == h - 1 ? 0 : rng.nextGaussian();
        }
        double[] c = new double[h];
        Arrays.fill(c, 2);
        c[0] = 1;
        c[h - 1] = 1;
        RealFft fft = new RealFft(n);
        // <inverse(X) / N, y> = <X, c / N forward(y)>
        double[] u = new double[n], yr = new double[h], yi = new double[h];
        fft.inverse(xr, xi, u, 0);
        fft.forward(y, 0, yr, yi);
        double left = 0, right = 0;
        for (int j = 0; j < n; j++) left += u[j] / n * y[j];
        for (int m = 0; m < h; m++) right += (xr[m] * yr[m] + xi[m] * yi[m]) * c[m] / n;
        assertEquals(left, right, 1e-12 * Math.abs(left));
        // <forward(x), X> = <x, inverse(X / c)>
        double[] fr = new double[h], fi = new double[h], sr = new double[h], si = new double[h], s = new double[n];
        fft.forward(x, 0, fr, fi);
        for (int m = 0; m < h; m++) {
            sr[m] = xr[m] / c[m];
            si[m] = xi[m] / c[m];
        }
        fft.inverse(sr, si, s, 0);
        left = 0;
        right = 0;
        for (int m = 0; m < h; m++) left += fr[m] * xr[m] + fi[m] * xi[m];
        for (int j = 0; j < n; j++) right += x[j] * s[j];
        assertEquals(left, right, 1e-12 * Math.abs(left));
    }
}
