package dev.reparam.physics.ks;

/**
 * One problem's ETDRK4 step in Fourier space and its exact reverse-mode transpose. Holds the
 * scratch arrays of one problem, so one instance per worker and problem, never shared.
 *
 * <p>Forward, with N(x) = beta (-i k / 2) FFT(u^2) + alpha FFT(G), u = Re IFFT(x):
 * <pre>
 *   a = E2 v + Q N(v);  b = E2 v + Q N(a);  c = E2 a + Q (2 N(b) - N(v))
 *   v' = E v + f1 N(v) + 2 f2 (N(a) + N(b)) + f3 N(c)
 * </pre>
 * Spectra are full complex length-N arrays; cotangents of complex values use the real inner
 * product Re sum conj(x) y, so the cotangent of y = c x (c complex) is conj(c) times that of y.
 */
final class EtdrkStep {
    private final EtdCoefficients co;
    private final Fft fft;
    private final int n;
    /** Receives the stage grid values when the caller does not keep them. */
    private final double[] unusedStages;
    private final double[] tr, ti, nvr, nvi, ar, ai, nar, nai, br, bi, nbr, nbi, cr, ci, ncr, nci;

    EtdrkStep(EtdCoefficients co) {
        this.co = co;
        this.n = co.n;
        this.fft = new Fft(n);
        unusedStages = new double[4 * n];
        tr = new double[n]; ti = new double[n];
        nvr = new double[n]; nvi = new double[n];
        ar = new double[n]; ai = new double[n];
        nar = new double[n]; nai = new double[n];
        br = new double[n]; bi = new double[n];
        nbr = new double[n]; nbi = new double[n];
        cr = new double[n]; ci = new double[n];
        ncr = new double[n]; nci = new double[n];
    }

    /** v = FFT(u0). */
    void toSpectrum(double[] u0, int offset, double[] vr, double[] vi) {
        System.arraycopy(u0, offset, vr, 0, n);
        java.util.Arrays.fill(vi, 0.0);
        fft.forward(vr, vi);
    }

    /** u = Re IFFT(v); returns max |u| (NaN if any value is NaN). */
    double toGrid(double[] vr, double[] vi, double[] u, int offset) {
        System.arraycopy(vr, 0, tr, 0, n);
        System.arraycopy(vi, 0, ti, 0, n);
        fft.backward(tr, ti);
        double max = 0;
        for (int j = 0; j < n; j++) {
            double x = tr[j] / n;
            u[offset + j] = x;
            max = Double.isNaN(x) || Double.isNaN(max) ? Double.NaN : Math.max(max, Math.abs(x));
        }
        return max;
    }

    /**
     * Advances (vr, vi) by one step in place. Stores the grid values at the four stages into
     * {@code stages[offset..offset+4N)} (v, a, b, c) when {@code stages} is not null: they are all
     * the reverse pass needs. Returns max |u| at the start of the step (NaN if any is NaN).
     */
    double step(double[] vr, double[] vi, double alpha, double beta, double[] stages, int offset) {
        double[] s = stages == null ? unusedStages : stages;
        int o = stages == null ? 0 : offset;
        double max = nonlinear(vr, vi, alpha, beta, s, o, nvr, nvi);
        for (int m = 0; m < n; m++) {
            ar[m] = co.e2[m] * vr[m] + co.q[m] * nvr[m];
            ai[m] = co.e2[m] * vi[m] + co.q[m] * nvi[m];
        }
        nonlinear(ar, ai, alpha, beta, s, o + n, nar, nai);
        for (int m = 0; m < n; m++) {
            br[m] = co.e2[m] * vr[m] + co.q[m] * nar[m];
            bi[m] = co.e2[m] * vi[m] + co.q[m] * nai[m];
        }
        nonlinear(br, bi, alpha, beta, s, o + 2 * n, nbr, nbi);
        for (int m = 0; m < n; m++) {
            cr[m] = co.e2[m] * ar[m] + co.q[m] * (2 * nbr[m] - nvr[m]);
            ci[m] = co.e2[m] * ai[m] + co.q[m] * (2 * nbi[m] - nvi[m]);
        }
        nonlinear(cr, ci, alpha, beta, s, o + 3 * n, ncr, nci);
        for (int m = 0; m < n; m++) {
            vr[m] = co.e[m] * vr[m] + co.f1[m] * nvr[m] + 2 * co.f2[m] * (nar[m] + nbr[m]) + co.f3[m] * ncr[m];
            vi[m] = co.e[m] * vi[m] + co.f1[m] * nvi[m] + 2 * co.f2[m] * (nai[m] + nbi[m]) + co.f3[m] * nci[m];
        }
        return max;
    }

    /** out = N(x); the grid values u = Re IFFT(x) go to u[offset..offset+N). Returns max |u|. */
    private double nonlinear(double[] xr, double[] xi, double alpha, double beta, double[] u, int offset,
                             double[] outR, double[] outI) {
        double max = toGrid(xr, xi, u, offset);
        for (int j = 0; j < n; j++) {
            double x = u[offset + j];
            tr[j] = x * x;
            ti[j] = 0.0;
        }
        fft.forward(tr, ti);
        for (int m = 0; m < n; m++) {
            // beta * (i gIm) * W + alpha * FFT(G)
            outR[m] = -beta * co.gIm[m] * ti[m] + alpha * co.forcingRe[m];
            outI[m] = beta * co.gIm[m] * tr[m] + alpha * co.forcingIm[m];
        }
        return max;
    }
}
