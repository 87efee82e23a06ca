package dev.reparam.optim;

/**
 * The Moré–Thuente line search of MINPACK-2 ({@code dcsrch} with its step routine {@code dcstep}),
 * the one L-BFGS-B uses, written as a reverse-communication state machine: the caller evaluates
 * φ(stp) and φ'(stp) wherever {@link #start} or {@link #next} asks, so that many searches can run
 * in lockstep with one batched evaluation per round.
 *
 * <p>It looks for a step satisfying the strong Wolfe conditions
 * φ(stp) ≤ φ(0) + ftol·stp·φ'(0) and |φ'(stp)| ≤ gtol·|φ'(0)|. Arithmetic follows dcsrch/dcstep
 * operation by operation so that iterates agree with SciPy's to rounding.
 */
final class MoreThuenteLineSearch {
    /** What the caller does next. */
    enum Status {
        /** Evaluate φ and φ' at {@link #step()} and call {@link #next}. */
        EVALUATE,
        /** The strong Wolfe conditions hold at {@link #step()}. */
        CONVERGED,
        /**
         * No further progress is possible (rounding errors, interval below xtol, or the step hit
         * stpmin/stpmax); dcsrch reports a warning and L-BFGS-B accepts the step like a success.
         */
        WARNING
    }

    private static final double XTRAPL = 1.1;
    private static final double XTRAPU = 4.0;
    private static final double P5 = 0.5;
    private static final double P66 = 0.66;

    private final double ftol;
    private final double gtol;
    private final double xtol;
    private final double stpmin;
    private final double stpmax;

    private double stp;
    private boolean brackt;
    private int stage;
    private double ginit, gtest, finit, width, width1;
    private double stx, fx, gx, sty, fy, gy, stmin, stmax;

    MoreThuenteLineSearch(double ftol, double gtol, double xtol, double stpmin, double stpmax) {
        this.ftol = ftol;
        this.gtol = gtol;
        this.xtol = xtol;
        this.stpmin = stpmin;
        this.stpmax = stpmax;
    }

    /** The step at which φ is wanted (EVALUATE) or that was accepted (CONVERGED, WARNING). */
    double step() {
        return stp;
    }

    /**
     * Starts a search from φ(0) = f0, φ'(0) = g0 < 0 with first trial step stp0; always asks for
     * an evaluation at stp0.
     */
    Status start(double f0, double g0, double stp0) {
        if (!(g0 < 0)) throw new IllegalArgumentException("initial derivative must be negative, got " + g0);
        if (stp0 < stpmin || stp0 > stpmax) {
            throw new IllegalArgumentException("initial step " + stp0 + " outside [" + stpmin + ", " + stpmax + "]");
        }
        stp = stp0;
        brackt = false;
        stage = 1;
        finit = f0;
        ginit = g0;
        gtest = ftol * ginit;
        width = stpmax - stpmin;
        width1 = width / P5;
        stx = 0;
        fx = finit;
        gx = ginit;
        sty = 0;
        fy = finit;
        gy = ginit;
        stmin = 0;
        stmax = stp + XTRAPU * stp;
        return Status.EVALUATE;
    }

    /** Feeds back φ(stp) = f and φ'(stp) = g for the step last asked for. */
    Status next(double f, double g) {
        double ftest = finit + stp * gtest;
        // Stage 2 begins once a step gives sufficient decrease and a non-negative derivative:
        // from then on the search works on φ itself instead of the auxiliary ψ(stp) = φ - stp·gtest.
        if (stage == 1 && f <= ftest && g >= 0) stage = 2;

        Status warning = null;
        if (brackt && (stp <= stmin || stp >= stmax)) warning = Status.WARNING; // rounding errors
        if (brackt && stmax - stmin <= xtol * stmax) warning = Status.WARNING; // xtol test
        if (stp == stpmax && f <= ftest && g <= gtest) warning = Status.WARNING;
        if (stp == stpmin && (f > ftest || g >= gtest)) warning = Status.WARNING;
        if (f <= ftest && Math.abs(g) <= gtol * (-ginit)) return Status.CONVERGED;
        if (warning != null) return warning;

        if (stage == 1 && f <= fx && f > ftest) {
            // A lower value without sufficient decrease: step on psi(stp) = phi(stp) - stp*gtest,
            // whose minimiser satisfies it; the interval ends are converted to psi and back.
            fx -= stx * gtest;
            fy -= sty * gtest;
            gx -= gtest;
            gy -= gtest;
            dcstep(f - stp * gtest, g - gtest);
            fx += stx * gtest;
            fy += sty * gtest;
            gx += gtest;
            gy += gtest;
        } else {
            dcstep(f, g);
        }

        if (brackt) {
            // Bisect when the interval has not shrunk enough over two steps.
            if (Math.abs(sty - stx) >= P66 * width1) stp = stx + P5 * (sty - stx);
            width1 = width;
            width = Math.abs(sty - stx);
            stmin = Math.min(stx, sty);
            stmax = Math.max(stx, sty);
        } else {
            stmin = stp + XTRAPL * (stp - stx);
            stmax = stp + XTRAPU * (stp - stx);
        }
        stp = Math.max(stp, stpmin);
        stp = Math.min(stp, stpmax);
        // When no further progress is possible, fall back to the best step found so far.
        if (brackt && (stp <= stmin || stp >= stmax) || brackt && stmax - stmin <= xtol * stmax) stp = stx;
        return Status.EVALUATE;
    }

    /**
     * dcstep: the safeguarded step of Moré and Thuente. (stx, fx, gx) is the best step so far,
     * (sty, fy, gy) the other end of the interval, (fp, dp) the value and derivative at stp; all
     * are updated in place, together with brackt and the new trial step stp.
     */
    private void dcstep(double fp, double dp) {
        double sx = stx, fxl = fx, dx = gx, sy = sty, fyl = fy, dy = gy;
        double sgnd = dp * (dx / Math.abs(dx));
        double stpf;
        if (fp > fxl) {
            // Case 1: higher value, the minimum is bracketed. Take the cubic step if it is closer
            // to stx than the quadratic one, else their average.
            double theta = 3 * (fxl - fp) / (stp - sx) + dx + dp;
            double sc = max3(Math.abs(theta), Math.abs(dx), Math.abs(dp));
            double gamma = sc * Math.sqrt((theta / sc) * (theta / sc) - (dx / sc) * (dp / sc));
            if (stp < sx) gamma = -gamma;
            double p = (gamma - dx) + theta;
            double q = ((gamma - dx) + gamma) + dp;
            double r = p / q;
            double stpc = sx + r * (stp - sx);
            double stpq = sx + ((dx / ((fxl - fp) / (stp - sx) + dx)) / 2) * (stp - sx);
            stpf = Math.abs(stpc - sx) < Math.abs(stpq - sx) ? stpc : stpc + (stpq - stpc) / 2;
            brackt = true;
        } else if (sgnd < 0) {
            // Case 2: lower value and derivatives of opposite sign, bracketed. Take the step
            // farther from stp of the cubic and the secant step.
            double theta = 3 * (fxl - fp) / (stp - sx) + dx + dp;
            double sc = max3(Math.abs(theta), Math.abs(dx), Math.abs(dp));
            double gamma = sc * Math.sqrt((theta / sc) * (theta / sc) - (dx / sc) * (dp / sc));
            if (stp > sx) gamma = -gamma;
            double p = (gamma - dp) + theta;
            double q = ((gamma - dp) + gamma) + dx;
            double r = p / q;
            double stpc = stp + r * (sx - stp);
            double stpq = stp + (dp / (dp - dx)) * (sx - stp);
            stpf = Math.abs(stpc - stp) > Math.abs(stpq - stp) ? stpc : stpq;
            brackt = true;
        } else if (Math.abs(dp) < Math.abs(dx)) {
            // Case 3: lower value, same-sign derivative decreasing in magnitude. The cubic may
            // have no minimiser in the direction of the step; then extrapolate to the bound.
            double theta = 3 * (fxl - fp) / (stp - sx) + dx + dp;
            double sc = max3(Math.abs(theta), Math.abs(dx), Math.abs(dp));
            double gamma = sc * Math.sqrt(Math.max(0, (theta / sc) * (theta / sc) - (dx / sc) * (dp / sc)));
            if (stp > sx) gamma = -gamma;
            double p = (gamma - dp) + theta;
            double q = (gamma + (dx - dp)) + gamma;
            double r = p / q;
            double stpc;
            if (r < 0 && gamma != 0) stpc = stp + r * (sx - stp);
            else if (stp > sx) stpc = stmax;
            else stpc = stmin;
            double stpq = stp + (dp / (dp - dx)) * (sx - stp);
            if (brackt) {
                // Closer of the two steps, but kept well inside the bracket.
                stpf = Math.abs(stpc - stp) < Math.abs(stpq - stp) ? stpc : stpq;
                if (stp > sx) stpf = Math.min(stp + P66 * (sy - stp), stpf);
                else stpf = Math.max(stp + P66 * (sy - stp), stpf);
            } else {
                // Farther of the two steps, clipped to the extrapolation range.
                stpf = Math.abs(stpc - stp) > Math.abs(stpq - stp) ? stpc : stpq;
                stpf = Math.min(stmax, stpf);
                stpf = Math.max(stmin, stpf);
            }
        } else {
            // Case 4: lower value, same-sign derivative not decreasing: cubic step towards sty if
            // bracketed, else go to the end of the extrapolation range.
            if (brackt) {
                double theta = 3 * (fp - fyl) / (sy - stp) + dy + dp;
                double sc = max3(Math.abs(theta), Math.abs(dy), Math.abs(dp));
                double gamma = sc * Math.sqrt((theta / sc) * (theta / sc) - (dy / sc) * (dp / sc));
                if (stp > sy) gamma = -gamma;
                double p = (gamma - dp) + theta;
                double q = ((gamma - dp) + gamma) + dy;
                double r = p / q;
                stpf = stp + r * (sy - stp);
            } else if (stp > sx) {
                stpf = stmax;
            } else {
                stpf = stmin;
            }
        }

        // Update the interval: stx stays the step with the lowest value so far.
        if (fp > fxl) {
            sy = stp;
            fyl = fp;
            dy = dp;
        } else {
            if (sgnd < 0) {
                sy = sx;
                fyl = fxl;
                dy = dx;
            }
            sx = stp;
            fxl = fp;
            dx = dp;
        }
        stx = sx;
        fx = fxl;
        gx = dx;
        sty = sy;
        fy = fyl;
        gy = dy;
        stp = stpf;
    }

    private static double max3(double a, double b, double c) {
        return Math.max(a, Math.max(b, c));
    }
}
