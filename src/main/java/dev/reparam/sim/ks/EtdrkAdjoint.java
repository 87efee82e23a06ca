package dev.reparam.sim.ks;

import java.util.Arrays;

/**
 * Reverse pass of {@link EtdrkStep}: the transpose of the linearised step, applied to a cotangent
 * of the state, plus the step's contributions to the cotangents of alpha and beta. Needs only the
 * grid values of the four stages that the forward step recorded. One instance per problem.
 *
 * <p>Cotangents of half-spectrum values use the real inner product over their real and imaginary
 * parts, so the cotangent of y = c x (c complex) is conj(c) times that of y, and the transforms
 * transpose as documented in {@link RealFft}: the factor c (1 at m = 0, N/2, else 2) accounts for
 * the interior modes standing for themselves and their conjugates.
 */
final class EtdrkAdjoint {
    private final EtdCoefficients co;
    private final RealFft fft;
    private final int n, modes;
    /** The packing weight c of {@link RealFft}: 1 at m = 0 and N/2, 2 elsewhere. */
    private final double[] c;
    private final double[] grid, tr, ti, nvr, nvi, nar, nai, nbr, nbi, ncr, nci, abr, abi, bbr, bbi, cbr, cbi;
    /** Cotangents of alpha and beta accumulated over all adjoint steps. */
    double alphaBar, betaBar;

    EtdrkAdjoint(EtdCoefficients co) {
        this.co = co;
        this.n = co.n;
        this.modes = co.modes;
        this.fft = new RealFft(n);
        c = new double[modes];
        Arrays.fill(c, 2.0);
        c[0] = 1.0;
        c[modes - 1] = 1.0;
        grid = new double[n];
        tr = new double[modes]; ti = new double[modes];
        nvr = new double[modes]; nvi = new double[modes];
        nar = new double[modes]; nai = new double[modes];
        nbr = new double[modes]; nbi = new double[modes];
        ncr = new double[modes]; nci = new double[modes];
        abr = new double[modes]; abi = new double[modes];
        bbr = new double[modes]; bbi = new double[modes];
        cbr = new double[modes]; cbi = new double[modes];
    }

    /** Cotangent of v given that of u = inverse(v) / N: c / N * forward(uBar). */
    void fromGrid(double[] uBar, int offset, double[] vbr, double[] vbi) {
        fft.forward(uBar, offset, vbr, vbi);
        for (int m = 0; m < modes; m++) {
            vbr[m] *= c[m] / n;
            vbi[m] *= c[m] / n;
        }
    }

    /** Cotangent of u0 given that of v = forward(u0): inverse(vBar / c). */
    void toInitialState(double[] vbr, double[] vbi, double[] u0Bar, int offset) {
        for (int m = 0; m < modes; m++) {
            tr[m] = vbr[m] / c[m];
            ti[m] = vbi[m] / c[m];
        }
        fft.inverse(tr, ti, u0Bar, offset);
    }

    /**
     * Replaces the cotangent (vbr, vbi) of the state after a step by that of the state before it;
     * {@code stages[offset..offset+4N)} are the grid values at v, a, b, c of that step.
     * The lines mirror {@link EtdrkStep#step} bottom-up; all ETDRK4 weights are real.
     */
    void step(double[] vbr, double[] vbi, double beta, double[] stages, int offset) {
        // v' = E v + f1 N(v) + 2 f2 (N(a) + N(b)) + f3 N(c)
        for (int m = 0; m < modes; m++) {
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
        for (int m = 0; m < modes; m++) {
            abr[m] = co.e2[m] * cbr[m];
            abi[m] = co.e2[m] * cbi[m];
            nbr[m] += 2 * co.q[m] * cbr[m];
            nbi[m] += 2 * co.q[m] * cbi[m];
            nvr[m] -= co.q[m] * cbr[m];
            nvi[m] -= co.q[m] * cbi[m];
        }
        nonlinear(nbr, nbi, beta, stages, offset + 2 * n, bbr, bbi);
        // b = E2 v + Q N(a)
        for (int m = 0; m < modes; m++) {
            vbr[m] += co.e2[m] * bbr[m];
            vbi[m] += co.e2[m] * bbi[m];
            nar[m] += co.q[m] * bbr[m];
            nai[m] += co.q[m] * bbi[m];
        }
        // cbr/cbi are free again: reuse them for the cotangent of a through N(a)
        nonlinear(nar, nai, beta, stages, offset + n, cbr, cbi);
        // a = E2 v + Q N(v)
        for (int m = 0; m < modes; m++) {
            abr[m] += cbr[m];
            abi[m] += cbi[m];
            vbr[m] += co.e2[m] * abr[m];
            vbi[m] += co.e2[m] * abi[m];
            nvr[m] += co.q[m] * abr[m];
            nvi[m] += co.q[m] * abi[m];
        }
        nonlinear(nvr, nvi, beta, stages, offset, cbr, cbi);
        for (int m = 0; m < modes; m++) {
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
        for (int m = 0; m < modes; m++) {
            da += co.forcingRe[m] * nbR[m] + co.forcingIm[m] * nbI[m];
            // conj(i gIm) nb = -i gIm nb is the cotangent of W = FFT(u^2) divided by beta; / c for the transpose of
            // forward
            tr[m] = co.gIm[m] * nbI[m] / c[m];
            ti[m] = -co.gIm[m] * nbR[m] / c[m];
        }
        alphaBar += da;
        // s = inverse(z / c): the cotangent of w = u^2, still divided by beta
        fft.inverse(tr, ti, grid, 0);
        double db = 0;
        for (int j = 0; j < n; j++) {
            double u = stages[offset + j];
            double s = grid[j];
            db += u * u * s; // beta multiplies W: betaBar += <w, s>
            grid[j] = 2 * u * beta * s; // w = u^2
        }
        betaBar += db;
        // u = inverse(x) / N transposes to c / N * forward(.)
        fft.forward(grid, 0, outR, outI);
        for (int m = 0; m < modes; m++) {
            outR[m] *= c[m] / n;
            outI[m] *= c[m] / n;
        }
    }
}
