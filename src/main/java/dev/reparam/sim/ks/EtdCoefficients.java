package dev.reparam.sim.ks;

/**
 * Per-mode ETDRK4 coefficients of Kassam & Trefethen (2005) for the KS linear operator
 * Lk = k^2 - k^4 on a periodic domain of length L with N points and step dt, for the half
 * spectrum of a real signal (modes m = 0..N/2, k = 2 pi m / L).
 *
 * <p>The phi-functions are evaluated as means over M = 32 points on the upper half of a circle of
 * radius 1 around dt*Lk (the real part of the half-circle mean equals the full-circle mean for
 * these real-on-the-real-axis functions), which avoids the cancellation of the closed forms near
 * dt*Lk = 0. The derivative factor of the Nyquist mode is zero (i k u at the Nyquist mode has no
 * real-signal counterpart), but its linear operator uses the true wavenumber, so it is damped
 * instead of frozen.
 */
final class EtdCoefficients {
    private static final int CONTOUR_POINTS = 32;

    final int n;
    /** Number of modes N/2 + 1. */
    final int modes;
    /** exp(dt Lk), exp(dt Lk / 2). */
    final double[] e, e2;
    /** Stage weight Q and the final-combination weights f1, f2, f3 (all real). */
    final double[] q, f1, f2, f3;
    /** Imaginary part of the nonlinear factor -i k / 2 (its real part is zero). */
    final double[] gIm;
    /** FFT of the forcing G(x_j) = cos(4 pi x_j / L), x_j = j L / N. */
    final double[] forcingRe, forcingIm;

    EtdCoefficients(int n, double length, double dt) {
        this.n = n;
        this.modes = n / 2 + 1;
        e = new double[modes];
        e2 = new double[modes];
        q = new double[modes];
        f1 = new double[modes];
        f2 = new double[modes];
        f3 = new double[modes];
        gIm = new double[modes];
        for (int m = 0; m < modes; m++) {
            double k = 2 * Math.PI * m / length;
            double lin = k * k - k * k * k * k;
            gIm[m] = m == n / 2 ? 0.0 : -0.5 * k;
            e[m] = Math.exp(dt * lin);
            e2[m] = Math.exp(dt * lin / 2);
            double[] phi = contourMeans(dt * lin);
            q[m] = dt * phi[0];
            f1[m] = dt * phi[1];
            f2[m] = dt * phi[2];
            f3[m] = dt * phi[3];
        }
        double[] forcing = new double[n];
        for (int j = 0; j < n; j++) forcing[j] = Math.cos(4 * Math.PI * j / n);
        forcingRe = new double[modes];
        forcingIm = new double[modes];
        new RealFft(n).forward(forcing, 0, forcingRe, forcingIm);
    }

    /** Real parts of the contour means of the four phi-combinations at z = hl + r. */
    private static double[] contourMeans(double hl) {
        double[] sum = new double[4];
        for (int j = 0; j < CONTOUR_POINTS; j++) {
            double theta = Math.PI * (j + 0.5) / CONTOUR_POINTS;
            double zr = hl + Math.cos(theta), zi = Math.sin(theta);
            double z2r = zr * zr - zi * zi, z2i = 2 * zr * zi;
            double z3r = z2r * zr - z2i * zi, z3i = z2r * zi + z2i * zr;
            double ez = Math.exp(zr), er = ez * Math.cos(zi), ei = ez * Math.sin(zi);
            double eh = Math.exp(zr / 2), ehr = eh * Math.cos(zi / 2), ehi = eh * Math.sin(zi / 2);
            // (e^{z/2} - 1) / z
            sum[0] += divRe(ehr - 1, ehi, zr, zi);
            // (-4 - z + e^z (4 - 3z + z^2)) / z^3
            double ar = 4 - 3 * zr + z2r, ai = -3 * zi + z2i;
            sum[1] += divRe(-4 - zr + er * ar - ei * ai, -zi + er * ai + ei * ar, z3r, z3i);
            // (2 + z + e^z (z - 2)) / z^3
            ar = zr - 2;
            ai = zi;
            sum[2] += divRe(2 + zr + er * ar - ei * ai, zi + er * ai + ei * ar, z3r, z3i);
            // (-4 - 3z - z^2 + e^z (4 - z)) / z^3
            ar = 4 - zr;
            ai = -zi;
            sum[3] += divRe(-4 - 3 * zr - z2r + er * ar - ei * ai, -3 * zi - z2i + er * ai + ei * ar, z3r, z3i);
        }
        for (int i = 0; i < 4; i++) sum[i] /= CONTOUR_POINTS;
        return sum;
    }

    /** Real part of (ar + i ai) / (br + i bi). */
    private static double divRe(double ar, double ai, double br, double bi) {
        return (ar * br + ai * bi) / (br * br + bi * bi);
    }
}
