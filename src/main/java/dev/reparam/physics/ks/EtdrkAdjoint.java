package dev.reparam.physics.ks;

/**
 * Reverse pass of {@link EtdrkStep}: the transpose of the linearised step, applied to a cotangent
 * of the state, plus the step's contributions to the cotangents of alpha and beta. Needs only the
 * grid values of the four stages that the forward step recorded. One instance per problem.
 */
final class EtdrkAdjoint {
    private final EtdCoefficients co;
    private final Fft fft;
    private final int n;
    private final double[] tr, ti, nvr, nvi, nar, nai, nbr, nbi, ncr, nci, abr, abi, bbr, bbi, cbr, cbi;
    /** Cotangents of alpha and beta accumulated over all adjoint steps. */
    double alphaBar, betaBar;

    EtdrkAdjoint(EtdCoefficients co) {
        this.co = co;
        this.n = co.n;
        this.fft = new Fft(n);
        tr = new double[n]; ti = new double[n];
        nvr = new double[n]; nvi = new double[n];
        nar = new double[n]; nai = new double[n];
        nbr = new double[n]; nbi = new double[n];
        ncr = new double[n]; nci = new double[n];
        abr = new double[n]; abi = new double[n];
        bbr = new double[n]; bbi = new double[n];
        cbr = new double[n]; cbi = new double[n];
    }

    /** Cotangent of v = FFT(u) given that of u = Re IFFT(v) = Re(backward(v)) / N: forward(uBar) / N. */
    void fromGrid(double[] uBar, int offset, double[] vbr, double[] vbi) {
        for (int j = 0; j < n; j++) {
            vbr[j] = uBar[offset + j] / n;
            vbi[j] = 0.0;
        }
        fft.forward(vbr, vbi);
    }

    /** Cotangent of u0 given that of v = FFT(u0): Re(backward(vBar)), the transpose of the DFT matrix. */
    void toInitialState(double[] vbr, double[] vbi, double[] u0Bar, int offset) {
        System.arraycopy(vbr, 0, tr, 0, n);
        System.arraycopy(vbi, 0, ti, 0, n);
        fft.backward(tr, ti);
        System.arraycopy(tr, 0, u0Bar, offset, n);
    }

    /**
     * Replaces the cotangent (vbr, vbi) of the state after a step by that of the state before it;
     * {@code stages[offset..offset+4N)} are the grid values at v, a, b, c of that step.
     * The lines mirror {@link EtdrkStep#step} bottom-up; all ETDRK4 weights are real.
     */
    void step(double[] vbr, double[] vbi, double beta, double[] stages, int offset) {
        // v' = E v + f1 N(v) + 2 f2 (N(a) + N(b)) + f3 N(c)
        for (int m = 0; m < n; m++) {
            nvr[m] = co.f1[m] * vbr[m];
            nvi[m] = co.f1[m] * vbi[m];
            nar[m] = 2 * co.f2[m] * vbr[m];
            nai[m] = 2 * co.f2[m] * vbi[m];
            nbr[m] = nar[m];
            nbi[m] = nai[m];
            ncr[m] = co.f3[m] * vbr[m];
            nci[m] = co.f3[m] * vbi[m];
            vbr[m] *= co.e[m];
            vbi[m] *= co.e[m];
        }
        nonlinear(ncr, nci, beta, stages, offset + 3 * n, cbr, cbi);
        // c = E2 a + Q (2 N(b) - N(v))
        for (int m = 0; m < n; m++) {
            abr[m] = co.e2[m] * cbr[m];
            abi[m] = co.e2[m] * cbi[m];
            nbr[m] += 2 * co.q[m] * cbr[m];
            nbi[m] += 2 * co.q[m] * cbi[m];
            nvr[m] -= co.q[m] * cbr[m];
            nvi[m] -= co.q[m] * cbi[m];
        }
        nonlinear(nbr, nbi, beta, stages, offset + 2 * n, bbr, bbi);
        // b = E2 v + Q N(a)
        for (int m = 0; m < n; m++) {
            vbr[m] += co.e2[m] * bbr[m];
            vbi[m] += co.e2[m] * bbi[m];
            nar[m] += co.q[m] * bbr[m];
            nai[m] += co.q[m] * bbi[m];
        }
        // cbr/cbi are free again: reuse them for the cotangent of a through N(a)
        nonlinear(nar, nai, beta, stages, offset + n, cbr, cbi);
        // a = E2 v + Q N(v)
        for (int m = 0; m < n; m++) {
            abr[m] += cbr[m];
            abi[m] += cbi[m];
            vbr[m] += co.e2[m] * abr[m];
            vbi[m] += co.e2[m] * abi[m];
            nvr[m] += co.q[m] * abr[m];
            nvi[m] += co.q[m] * abi[m];
        }
        nonlinear(nvr, nvi, beta, stages, offset, cbr, cbi);
        for (int m = 0; m < n; m++) {
            vbr[m] += cbr[m];
            vbi[m] += cbi[m];
        }
    }

    /**
     * Transpose of N at the stage with grid values u = stages[offset..offset+N): given the
     * cotangent nb of N(x), writes that of x into (outR, outI) and accumulates alphaBar, betaBar.
     */
    private void nonlinear(double[] nbR, double[] nbI, double beta, double[] stages, int offset,
                           double[] outR, double[] outI) {
        // N = alpha FFT(G) + ...: alphaBar += Re <FFT(G), nb>
        double da = 0;
        for (int m = 0; m < n; m++) {
            da += co.forcingRe[m] * nbR[m] + co.forcingIm[m] * nbI[m];
            // z = conj(i gIm) nb = -i gIm nb: the cotangent of W = FFT(u^2), divided by beta
            tr[m] = co.gIm[m] * nbI[m];
            ti[m] = -co.gIm[m] * nbR[m];
        }
        alphaBar += da;
        // W = FFT(w), w real: cotangent of w is Re(backward(cotangent of W))
        fft.backward(tr, ti);
        double db = 0;
        for (int j = 0; j < n; j++) {
            double u = stages[offset + j];
            double s = tr[j];
            db += u * u * s; // beta multiplies W: betaBar += <w, s>
            tr[j] = 2 * u * beta * s / n; // w = u^2, then u = Re(backward(x)) / N transposes to forward(.) / N
            ti[j] = 0.0;
        }
        betaBar += db;
        fft.forward(tr, ti);
        System.arraycopy(tr, 0, outR, 0, n);
        System.arraycopy(ti, 0, outI, 0, n);
    }
}
