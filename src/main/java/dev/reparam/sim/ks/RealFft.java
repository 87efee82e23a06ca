package dev.reparam.sim.ks;

/**
 * Real FFT of a power-of-two size N through one complex FFT of size N/2 (even samples as real,
 * odd samples as imaginary parts, then the usual split into even and odd spectra). The half
 * spectrum X_0..X_{N/2} lives in arrays of length N/2 + 1; X_0 and X_{N/2} are real.
 *
 * <p>{@code inverse} is the unnormalised Hermitian synthesis
 * x_j = Re X_0 + (-1)^j Re X_{N/2} + 2 sum_{0<m<N/2} Re(X_m e^{2 pi i m j / N}), i.e. N * irfft.
 * Transposes, for the real inner product over real and imaginary parts of the half spectrum
 * (used by the adjoint):
 * <pre>
 *   x = inverse(X) / N  -> Xbar = c / N * forward(xbar),   c = 1 at m = 0, N/2 and 2 elsewhere
 *   X = forward(x)      -> xbar = inverse(Xbar / c)
 * </pre>
 */
final class RealFft {
    private final int n, half;
    private final Fft fft;
    private final double[] cos, sin, zr, zi;

    RealFft(int n) {
        if (n < 4 || Integer.bitCount(n) != 1) {
            throw new IllegalArgumentException("real FFT size must be a power of two >= 4, got " + n);
        }
        this.n = n;
        this.half = n / 2;
        this.fft = new Fft(half);
        cos = new double[half];
        sin = new double[half];
        for (int m = 0; m < half; m++) {
            cos[m] = Math.cos(2 * Math.PI * m / n);
            sin[m] = Math.sin(2 * Math.PI * m / n);
        }
        zr = new double[half];
        zi = new double[half];
    }

    /** Number of half-spectrum entries, N/2 + 1. */
    int spectrumSize() {
        return half + 1;
    }

    /** (re, im)[0..N/2] = sum_j x_j e^{-2 pi i m j / N} for x = x[offset..offset+N). */
    void forward(double[] x, int offset, double[] re, double[] im) {
        for (int j = 0; j < half; j++) {
            zr[j] = x[offset + 2 * j];
            zi[j] = x[offset + 2 * j + 1];
        }
        fft.forward(zr, zi);
        // X_0 and X_{N/2} exactly real: sums and differences of the even and odd sample sums
        re[0] = zr[0] + zi[0];
        im[0] = 0.0;
        re[half] = zr[0] - zi[0];
        im[half] = 0.0;
        for (int m = 1; m < half; m++) {
            int p = half - m;
            // even spectrum E = (Z_m + conj Z_p) / 2, odd spectrum O = (Z_m - conj Z_p) / (2i)
            double er = 0.5 * (zr[m] + zr[p]), ei = 0.5 * (zi[m] - zi[p]);
            double or = 0.5 * (zi[m] + zi[p]), oi = -0.5 * (zr[m] - zr[p]);
            // X_m = E + e^{-2 pi i m / N} O
            re[m] = er + cos[m] * or + sin[m] * oi;
            im[m] = ei + cos[m] * oi - sin[m] * or;
        }
    }

    /** x[offset..offset+N) = N * irfft of the half spectrum (imaginary parts at m = 0, N/2 ignored). */
    void inverse(double[] re, double[] im, double[] x, int offset) {
        // Z_m = E_m + i O_m with E = X_m + conj X_{N/2-m}, O = (X_m - conj X_{N/2-m}) e^{2 pi i m / N}
        zr[0] = re[0] + re[half];
        zi[0] = re[0] - re[half];
        for (int m = 1; m < half; m++) {
            int p = half - m;
            double er = re[m] + re[p], ei = im[m] - im[p];
            double dr = re[m] - re[p], di = im[m] + im[p];
            double or = dr * cos[m] - di * sin[m], oi = dr * sin[m] + di * cos[m];
            zr[m] = er - oi;
            zi[m] = ei + or;
        }
        fft.backward(zr, zi);
        for (int j = 0; j < half; j++) {
            x[offset + 2 * j] = zr[j];
            x[offset + 2 * j + 1] = zi[j];
        }
    }
}
