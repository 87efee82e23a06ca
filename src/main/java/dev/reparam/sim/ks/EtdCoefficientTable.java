package dev.reparam.sim.ks;

/**
 * The ETDRK4 coefficients of {@link EtdCoefficients} and the FFT twiddles of {@link RealFft} and
 * {@link Fft}, packed into one array in the order the CUDA kernels read it (kernels/ks/ks_fft.cuh,
 * {@code KsTable}). Computed on the host in double, uploaded once per solver; the twiddles use the
 * same expressions as the CPU transforms, so both sides start from identical numbers.
 *
 * <p>With M = N/2 + 1 modes, H = N/2 and Q = H/2, in this order: e, e2, q, f1, f2, f3, gIm,
 * forcingRe, forcingIm (M each), cos and sin of 2 pi m / N for m &lt; H (the real-FFT split),
 * cos and sin of 2 pi i / H for i &lt; Q (the complex FFT of size H).
 */
public final class EtdCoefficientTable {
    /** Number of per-mode coefficient arrays at the start of the table. */
    public static final int MODE_ARRAYS = 9;

    private EtdCoefficientTable() {}

    /** Table length for N points: 9 M + 2 H + 2 Q. */
    public static int length(int n) {
        int h = n / 2;
        return MODE_ARRAYS * (h + 1) + 2 * h + 2 * (h / 2);
    }

    /** The packed table for N points (a power of two >= 4), domain length L and step dt. */
    public static double[] pack(int n, double length, double dt) {
        EtdCoefficients co = new EtdCoefficients(n, length, dt);
        int modes = co.modes, h = n / 2, q = h / 2;
        double[] t = new double[length(n)];
        double[][] perMode = {co.e, co.e2, co.q, co.f1, co.f2, co.f3, co.gIm, co.forcingRe, co.forcingIm};
        int at = 0;
        for (double[] a : perMode) {
            System.arraycopy(a, 0, t, at, modes);
            at += modes;
        }
        for (int m = 0; m < h; m++) {
            t[at + m] = Math.cos(2 * Math.PI * m / n);
            t[at + h + m] = Math.sin(2 * Math.PI * m / n);
        }
        at += 2 * h;
        for (int i = 0; i < q; i++) {
            t[at + i] = Math.cos(2 * Math.PI * i / h);
            t[at + q + i] = Math.sin(2 * Math.PI * i / h);
        }
        return t;
    }
}
