package dev.reparam.sim.ks;

/**
 * One problem's ETDRK4 step on the half spectrum (modes 0..N/2) and the transforms to and from
 * the grid. Holds the scratch arrays of one problem, so one instance per problem, never shared.
 *
 * <p>With N(x) = beta (-i k / 2) FFT(u^2) + alpha FFT(G), u = IFFT(x):
 * <pre>
 *   a = E2 v + Q N(v);  b = E2 v + Q N(a);  c = E2 a + Q (2 N(b) - N(v))
 *   v' = E v + f1 N(v) + 2 f2 (N(a) + N(b)) + f3 N(c)
 * </pre>
 */
final class EtdrkStep {
    private final EtdCoefficients co;
    private final RealFft fft;
    private final int n, modes;
    /** Receives the stage grid values when the caller does not keep them. */
    private final double[] unusedStages;
    private final double[] w, wr, wi, nvr, nvi, ar, ai, nar, nai, br, bi, nbr, nbi, cr, ci, ncr, nci;

    EtdrkStep(EtdCoefficients co) {
        this.co = co;
        this.n = co.n;
        this.modes = co.modes;
        this.fft = new RealFft(n);
        unusedStages = new double[4 * n];
        w = new double[n];
        wr = new double[modes]; wi = new double[modes];
        nvr = new double[modes]; nvi = new double[modes];
        ar = new double[modes]; ai = new double[modes];
        nar = new double[modes]; nai = new double[modes];
        br = new double[modes]; bi = new double[modes];
        nbr = new double[modes]; nbi = new double[modes];
        cr = new double[modes]; ci = new double[modes];
        ncr = new double[modes]; nci = new double[modes];
    }

    /** v = FFT(u0[offset..offset+N)). */
    void toSpectrum(double[] u0, int offset, double[] vr, double[] vi) {
        fft.forward(u0, offset, vr, vi);
    }

    /** u[offset..offset+N) = IFFT(v); returns max |u| (NaN if any value is NaN). */
    double toGrid(double[] vr, double[] vi, double[] u, int offset) {
        fft.inverse(vr, vi, u, offset);
        double max = 0;
        for (int j = offset; j < offset + n; j++) {
            double x = u[j] / n;
            u[j] = x;
            max = Math.max(max, Math.abs(x)); // Math.max propagates NaN
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
        for (int m = 0; m < modes; m++) {
            ar[m] = co.e2[m] * vr[m] + co.q[m] * nvr[m];
            ai[m] = co.e2[m] * vi[m] + co.q[m] * nvi[m];
        }
        nonlinear(ar, ai, alpha, beta, s, o + n, nar, nai);
        for (int m = 0; m < modes; m++) {
            br[m] = co.e2[m] * vr[m] + co.q[m] * nar[m];
            bi[m] = co.e2[m] * vi[m] + co.q[m] * nai[m];
        }
        nonlinear(br, bi, alpha, beta, s, o + 2 * n, nbr, nbi);
        for (int m = 0; m < modes; m++) {
            cr[m] = co.e2[m] * ar[m] + co.q[m] * (2 * nbr[m] - nvr[m]);
            ci[m] = co.e2[m] * ai[m] + co.q[m] * (2 * nbi[m] - nvi[m]);
        }
        nonlinear(cr, ci, alpha, beta, s, o + 3 * n, ncr, nci);
        for (int m = 0; m < modes; m++) {
            vr[m] = co.e[m] * vr[m] + co.f1[m] * nvr[m] + 2 * co.f2[m] * (nar[m] + nbr[m]) + co.f3[m] * ncr[m];
            vi[m] = co.e[m] * vi[m] + co.f1[m] * nvi[m] + 2 * co.f2[m] * (nai[m] + nbi[m]) + co.f3[m] * nci[m];
        }
        return max;
    }

    /** out = N(x); the grid values u = IFFT(x) go to u[offset..offset+N). Returns max |u|. */
    private double nonlinear(double[] xr, double[] xi, double alpha, double beta, double[] u, int offset,
                             double[] outR, double[] outI) {
        double max = toGrid(xr, xi, u, offset);
        for (int j = 0; j < n; j++) {
            double x = u[offset + j];
            w[j] = x * x;
        }
        fft.forward(w, 0, wr, wi);
        for (int m = 0; m < modes; m++) {
            // beta * (i gIm) * W + alpha * FFT(G)
            outR[m] = -beta * co.gIm[m] * wi[m] + alpha * co.forcingRe[m];
            outI[m] = beta * co.gIm[m] * wr[m] + alpha * co.forcingIm[m];
        }
        return max;
    }
}
