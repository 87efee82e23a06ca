package dev.reparam.sim.ks;

import dev.reparam.tensor.Parallel;

import java.util.Arrays;

/**
 * The forced Kuramoto-Sivashinsky equation u_t = alpha G(x) - u_xx - u_xxxx - beta u u_x on a
 * periodic domain [0, L) with N points, G(x) = cos(4 pi x / L), integrated with ETDRK4 for a fixed
 * number of steps (paper, section 4.3), batched over problems that each have their own alpha, beta
 * and initial state. Problems run independently on {@link Parallel} workers, so a problem's result
 * is bit-identical whatever batch it is part of.
 *
 * <p>A problem whose state becomes non-finite or exceeds {@link #BLOW_UP} in magnitude has
 * diverged: {@link #simulate} marks it, and {@link #lossAndGradient} gives it loss +infinity and a
 * zero gradient.
 */
public final class KuramotoSivashinsky {
    public static final double BLOW_UP = 1e6;

    private final int n;
    /** Half-spectrum length N/2 + 1. */
    private final int modes;
    private final double length;
    private final double dt;
    private final int steps;
    private final int checkpointInterval;
    private final EtdCoefficients coefficients;

    /** Checkpoints every ceil(sqrt(steps)) steps. */
    public KuramotoSivashinsky(int n, double length, double dt, int steps) {
        this(n, length, dt, steps, (int) Math.ceil(Math.sqrt(steps)));
    }

    /**
     * The adjoint keeps the state every {@code checkpointInterval} steps and recomputes the stage
     * values of one such segment at a time: memory O(N steps / C + 4 N C) per problem.
     */
    public KuramotoSivashinsky(int n, double length, double dt, int steps, int checkpointInterval) {
        if (!(length > 0) || !(dt > 0)) {
            throw new IllegalArgumentException("need L > 0 and dt > 0, got L = " + length + ", dt = " + dt);
        }
        if (steps < 1 || checkpointInterval < 1) {
            throw new IllegalArgumentException("need steps >= 1 and checkpoint interval >= 1");
        }
        this.n = n;
        this.length = length;
        this.dt = dt;
        this.steps = steps;
        this.checkpointInterval = checkpointInterval;
        this.coefficients = new EtdCoefficients(n, length, dt);
        this.modes = coefficients.modes;
    }

    public int points() { return n; }
    public double length() { return length; }
    public double dt() { return dt; }
    public int steps() { return steps; }

    /** Grid point x_j = j L / N. */
    public double x(int j) {
        return j * length / n;
    }

    /** u(T) for each problem, [problems * N]; rows of diverged problems are NaN. */
    public double[] simulate(double[] alpha, double[] beta, double[] u0) {
        return simulate(alpha, beta, u0, null);
    }

    /** As {@link #simulate(double[], double[], double[])}, also setting {@code diverged[i]} when not null. */
    public double[] simulate(double[] alpha, double[] beta, double[] u0, boolean[] diverged) {
        int problems = alpha.length;
        if (beta.length != problems || u0.length != problems * n) {
            throw new IllegalArgumentException("simulate: " + problems + " alpha, " + beta.length + " beta, "
                    + u0.length + " initial values for N = " + n);
        }
        double[] uT = new double[problems * n];
        Parallel.forEach(problems, workPerProblem(), i -> {
            EtdrkStep stepper = new EtdrkStep(coefficients);
            double[] vr = new double[modes], vi = new double[modes];
            boolean blown = !rollout(stepper, vr, vi, alpha[i], beta[i], u0, i * n, uT, i * n, null);
            if (blown) Arrays.fill(uT, i * n, (i + 1) * n, Double.NaN);
            if (diverged != null) diverged[i] = blown;
        });
        return uT;
    }

    /**
     * For j in [0, k): loss[j] = mean_x (u(T) - y)^2 of the problem with initial state
     * u0s[rows[j]] and target targets[rows[j]] at (alpha, beta) = params[2j, 2j+1], and
     * grad[2j, 2j+1] = its derivative in (alpha, beta) through the discrete solver.
     */
    public void lossAndGradient(int[] rows, double[] params, double[] u0s, double[] targets, double[] loss,
            double[] grad) {
        lossAndGradient(rows, params, u0s, targets, loss, grad, null);
    }

    /** As above; also writes d loss[j] / d u0 into {@code gradU0[j * N..)} when not null. */
    public void lossAndGradient(int[] rows, double[] params, double[] u0s, double[] targets, double[] loss,
            double[] grad, double[] gradU0) {
        int k = rows.length;
        if (params.length != 2 * k || loss.length < k || grad.length < 2 * k
                || (gradU0 != null && gradU0.length < k * n)) {
            throw new IllegalArgumentException("lossAndGradient: " + k
                    + " rows need 2k params, k losses, 2k gradients, k*N u0 gradients");
        }
        // forward, recompute and adjoint: about three forward passes
        Parallel.forEach(k, 3 * workPerProblem(), j -> {
            double[] u0Bar = gradU0 == null ? new double[n] : gradU0;
            int u0BarOffset = gradU0 == null ? 0 : j * n;
            loss[j] = problemGradient(params[2 * j], params[2 * j + 1], u0s, targets, rows[j] * n, grad, 2 * j, u0Bar,
                    u0BarOffset);
        });
    }

    private long workPerProblem() {
        return (long) steps * 4 * 10 * n * Integer.numberOfTrailingZeros(n);
    }

    /**
     * Runs one problem from u0[offset..) for all steps, writing u(T) to uT[outOffset..).
     * Keeps the half spectrum at steps 0, C, 2C, ... in {@code checkpoints} (rows of 2 (N/2 + 1): re, im) when not
     * null. Returns false when the problem diverged.
     */
    private boolean rollout(EtdrkStep stepper, double[] vr, double[] vi, double alpha, double beta, double[] u0,
            int offset, double[] uT, int outOffset, double[] checkpoints) {
        stepper.toSpectrum(u0, offset, vr, vi);
        for (int s = 0; s < steps; s++) {
            if (checkpoints != null && s % checkpointInterval == 0) {
                int c = s / checkpointInterval * 2 * modes;
                System.arraycopy(vr, 0, checkpoints, c, modes);
                System.arraycopy(vi, 0, checkpoints, c + modes, modes);
            }
            if (!(stepper.step(vr, vi, alpha, beta, null, 0) <= BLOW_UP)) return false;
        }
        return stepper.toGrid(vr, vi, uT, outOffset) <= BLOW_UP;
    }

    /** Loss of one problem; writes (alphaBar, betaBar) to grad[g..g+2) and the u0 cotangent to u0Bar[b..b+N). */
    private double problemGradient(double alpha, double beta, double[] u0s, double[] targets, int row, double[] grad,
            int g, double[] u0Bar, int b) {
        EtdrkStep stepper = new EtdrkStep(coefficients);
        double[] vr = new double[modes], vi = new double[modes], uT = new double[n];
        double[] checkpoints = new double[segments() * 2 * modes];
        if (!rollout(stepper, vr, vi, alpha, beta, u0s, row, uT, 0, checkpoints)) {
            grad[g] = 0;
            grad[g + 1] = 0;
            Arrays.fill(u0Bar, b, b + n, 0.0);
            return Double.POSITIVE_INFINITY;
        }
        double sum = 0;
        double[] uBar = new double[n];
        for (int j = 0; j < n; j++) {
            double r = uT[j] - targets[row + j];
            sum += r * r;
            uBar[j] = 2 * r / n;
        }
        backward(stepper, alpha, beta, checkpoints, uBar, grad, g, u0Bar, b);
        return sum / n;
    }

    /**
     * Vector-Jacobian product of one problem's rollout u(T) = F(u0, alpha, beta): given uTBar,
     * writes (alphaBar, betaBar) to grad[0..2) and u0Bar. Returns false (and writes nothing) when
     * the problem diverged. Exposed to tests for the dot-product check.
     */
    boolean vectorJacobian(double alpha, double beta, double[] u0, double[] uTBar, double[] grad, double[] u0Bar) {
        EtdrkStep stepper = new EtdrkStep(coefficients);
        double[] vr = new double[modes], vi = new double[modes], uT = new double[n];
        double[] checkpoints = new double[segments() * 2 * modes];
        if (!rollout(stepper, vr, vi, alpha, beta, u0, 0, uT, 0, checkpoints)) return false;
        backward(stepper, alpha, beta, checkpoints, uTBar, grad, 0, u0Bar, 0);
        return true;
    }

    private int segments() {
        return (steps + checkpointInterval - 1) / checkpointInterval;
    }

    /**
     * Reverse pass from the cotangent uBar of u(T): walks the checkpoint segments backwards,
     * recomputing each segment's stage values from its checkpoint (bit-identical to the first
     * pass) and applying the adjoint steps in reverse order.
     */
    private void backward(EtdrkStep stepper, double alpha, double beta, double[] checkpoints, double[] uBar,
                          double[] grad, int g, double[] u0Bar, int b) {
        EtdrkAdjoint adjoint = new EtdrkAdjoint(coefficients);
        double[] vr = new double[modes], vi = new double[modes], wr = new double[modes], wi = new double[modes];
        adjoint.fromGrid(uBar, 0, vr, vi);
        double[] stages = new double[checkpointInterval * 4 * n];
        for (int seg = segments() - 1; seg >= 0; seg--) {
            int first = seg * checkpointInterval, end = Math.min(steps, first + checkpointInterval);
            System.arraycopy(checkpoints, seg * 2 * modes, wr, 0, modes);
            System.arraycopy(checkpoints, seg * 2 * modes + modes, wi, 0, modes);
            for (int s = first; s < end; s++) stepper.step(wr, wi, alpha, beta, stages, (s - first) * 4 * n);
            for (int s = end - 1; s >= first; s--) adjoint.step(vr, vi, beta, stages, (s - first) * 4 * n);
        }
        adjoint.toInitialState(vr, vi, u0Bar, b);
        grad[g] = adjoint.alphaBar;
        grad[g + 1] = adjoint.betaBar;
    }
}
