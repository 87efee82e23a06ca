package dev.reparam.sim.ks;

import java.util.Arrays;

/**
 * Forward-mode (tangent-linear) ETDRK4 for one problem, written from the scheme's equations
 * independently of {@link EtdrkAdjoint} and on the full complex spectrum (a size-N complex FFT,
 * not the solver's real FFT), so that the dot-product test compares two separate derivations:
 * returns J (du0, dalpha, dbeta) = d u(T).
 */
final class KsTangent {
    private final Fft fft;
    private final int n;
    /** The solver's half-spectrum coefficients extended to all N modes (mode N - m is -m). */
    private final double[] e, e2, q, f1, f2, f3, gIm, forcingRe, forcingIm;

    KsTangent(EtdCoefficients co) {
        this.n = co.n;
        this.fft = new Fft(n);
        e = even(co.e);
        e2 = even(co.e2);
        q = even(co.q);
        f1 = even(co.f1);
        f2 = even(co.f2);
        f3 = even(co.f3);
        forcingRe = even(co.forcingRe);
        // k -> -k flips the derivative factor; a real signal's spectrum is conjugate-symmetric
        gIm = even(co.gIm);
        forcingIm = even(co.forcingIm);
        for (int m = n / 2 + 1; m < n; m++) {
            gIm[m] = -gIm[m];
            forcingIm[m] = -forcingIm[m];
        }
    }

    private double[] even(double[] half) {
        double[] full = new double[n];
        for (int m = 0; m < n; m++) full[m] = half[Math.min(m, n - m)];
        return full;
    }

    /** [re, im, dre, dim] spectra of a value and its tangent. */
    private double[][] spectrum(double[] u, double[] du) {
        double[] r = u.clone(), i = new double[n], dr = du.clone(), di = new double[n];
        fft.forward(r, i);
        fft.forward(dr, di);
        return new double[][] {r, i, dr, di};
    }

    private double[] grid(double[] re, double[] im) {
        double[] r = re.clone(), i = im.clone();
        fft.backward(r, i);
        for (int j = 0; j < n; j++) r[j] /= n;
        return r;
    }

    /** N(x) and its tangent: d[beta g FFT(u^2) + alpha FFT(G)] = dbeta g W + beta g FFT(2 u du) + dalpha FFT(G). */
    private double[][] nonlinear(double[][] x, double alpha, double beta, double da, double db) {
        double[] u = grid(x[0], x[1]), du = grid(x[2], x[3]);
        double[] w = new double[n], dw = new double[n];
        for (int j = 0; j < n; j++) {
            w[j] = u[j] * u[j];
            dw[j] = 2 * u[j] * du[j];
        }
        double[][] s = spectrum(w, dw);
        double[][] out = new double[4][n];
        for (int m = 0; m < n; m++) {
            double g = gIm[m]; // g = i gIm: g (wr + i wi) = -gIm wi + i gIm wr
            out[0][m] = -beta * g * s[1][m] + alpha * forcingRe[m];
            out[1][m] = beta * g * s[0][m] + alpha * forcingIm[m];
            out[2][m] = -db * g * s[1][m] - beta * g * s[3][m] + da * forcingRe[m];
            out[3][m] = db * g * s[0][m] + beta * g * s[2][m] + da * forcingIm[m];
        }
        return out;
    }

    /** c1 x + c2 y, componentwise on all four arrays (real per-mode weights). */
    private static double[][] combine(double[] c1, double[][] x, double[] c2, double[][] y) {
        int n = c1.length;
        double[][] out = new double[4][n];
        for (int p = 0; p < 4; p++) for (int m = 0; m < n; m++) out[p][m] = c1[m] * x[p][m] + c2[m] * y[p][m];
        return out;
    }

    double[] apply(double[] u0, double alpha, double beta, int steps, double[] du0, double da, double db) {
        double[][] v = spectrum(u0, du0);
        double[] two = new double[n], twoF2 = new double[n], minusOne = new double[n], one = new double[n];
        Arrays.fill(two, 2);
        Arrays.fill(minusOne, -1);
        Arrays.fill(one, 1);
        for (int m = 0; m < n; m++) twoF2[m] = 2 * f2[m];
        for (int s = 0; s < steps; s++) {
            double[][] nv = nonlinear(v, alpha, beta, da, db);
            double[][] a = combine(e2, v, q, nv);
            double[][] na = nonlinear(a, alpha, beta, da, db);
            double[][] b = combine(e2, v, q, na);
            double[][] nb = nonlinear(b, alpha, beta, da, db);
            double[][] c = combine(e2, a, q, combine(two, nb, minusOne, nv));
            double[][] nc = nonlinear(c, alpha, beta, da, db);
            v = combine(one, combine(e, v, f1, nv), one, combine(twoF2, combine(one, na, one, nb), f3, nc));
        }
        return grid(v[2], v[3]);
    }
}
