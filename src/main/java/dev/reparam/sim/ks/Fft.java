package dev.reparam.sim.ks;

/**
 * In-place iterative radix-2 complex FFT of one power-of-two size, on separate real and imaginary
 * arrays. Both directions are unnormalised: {@code forward} is X_m = sum_j x_j e^{-2 pi i m j / N},
 * {@code backward} the same with e^{+...}; backward(forward(x)) = N x.
 *
 * <p>Hand-written rather than a library real FFT: the KS solver keeps the full complex spectrum,
 * so the adjoint of every transform is again a plain transform (no real-FFT packing to transpose),
 * there is no extra dependency, and the code maps one-to-one onto a later CUDA kernel.
 */
final class Fft {
    private final int n;
    private final int[] bitReversed;
    private final double[] cos;
    private final double[] sin;

    Fft(int n) {
        if (n < 2 || Integer.bitCount(n) != 1) {
            throw new IllegalArgumentException("FFT size must be a power of two >= 2, got " + n);
        }
        this.n = n;
        int bits = Integer.numberOfTrailingZeros(n);
        bitReversed = new int[n];
        for (int i = 0; i < n; i++) bitReversed[i] = Integer.reverse(i) >>> (32 - bits);
        cos = new double[n / 2];
        sin = new double[n / 2];
        for (int i = 0; i < n / 2; i++) {
            cos[i] = Math.cos(2 * Math.PI * i / n);
            sin[i] = Math.sin(2 * Math.PI * i / n);
        }
    }

    int size() {
        return n;
    }

    void forward(double[] re, double[] im) {
        transform(re, im, -1);
    }

    void backward(double[] re, double[] im) {
        transform(re, im, 1);
    }

    private void transform(double[] re, double[] im, int sign) {
        for (int i = 0; i < n; i++) {
            int j = bitReversed[i];
            if (j > i) {
                double t = re[i]; re[i] = re[j]; re[j] = t;
                t = im[i]; im[i] = im[j]; im[j] = t;
            }
        }
        // size-2 butterflies have the twiddle 1
        for (int a = 0; a < n; a += 2) {
            double xr = re[a + 1], xi = im[a + 1];
            re[a + 1] = re[a] - xr;
            im[a + 1] = im[a] - xi;
            re[a] += xr;
            im[a] += xi;
        }
        for (int len = 4; len <= n; len <<= 1) {
            int half = len >> 1, stride = n / len;
            // twiddle outermost: each one is loaded once per stage
            for (int k = 0; k < half; k++) {
                double wr = cos[k * stride], wi = sign * sin[k * stride];
                for (int a = k; a < n; a += len) {
                    int b = a + half;
                    double xr = re[b] * wr - im[b] * wi;
                    double xi = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - xr;
                    im[b] = im[a] - xi;
                    re[a] += xr;
                    im[a] += xi;
                }
            }
        }
    }
}
