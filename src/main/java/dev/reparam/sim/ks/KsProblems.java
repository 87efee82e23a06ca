package dev.reparam.sim.ks;

import dev.reparam.inverse.ProblemSet;
import dev.reparam.tensor.Bounds;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Forced Kuramoto-Sivashinsky problems (paper 4.3): find (alpha, beta) from the known initial state
 * x_i = u(0) and the observed y_i = u(T); loss = mean over the grid of (u(T) - y)^2.
 * Generated problems keep the parameters that made their observations.
 */
public final class KsProblems implements ProblemSet {
    public static final double ALPHA_MIN = -1, ALPHA_MAX = 1, BETA_MIN = 0.5, BETA_MAX = 1.5;
    /** Initial states are sums of the Fourier modes 1..MODES. */
    public static final int MODES = 8;
    /**
     * Loss of a problem whose simulation diverged (the solver says +infinity, with zero gradient).
     * Kept finite so BFGS's line search backtracks from it instead of stopping the problem as
     * NON_FINITE, and so the networks' summed loss and curves stay finite; the zero gradient
     * leaves the other problems' updates untouched. It lies above any loss of a run that did not
     * diverge (|u| <= 1e6 everywhere gives at most about (2e6)^2).
     */
    public static final double DIVERGED_LOSS = 1e13;

    /** Grid, domain, time step and end time of a profile; steps = round(time / dt). */
    public record Physics(int points, double length, double dt, double time) {
        /** Paper: N = 128, L = 32 pi, dt = 0.25, t = 25 (100 steps). */
        public static final Physics PAPER = new Physics(128, 32 * Math.PI, 0.25, 25);
        /** Tests: N = 64, L = 22, dt = 0.25, t = 10 (40 steps). */
        public static final Physics QUICK = new Physics(64, 22, 0.25, 10);

        public KuramotoSivashinsky solver() {
            return new KuramotoSivashinsky(points, length, dt, (int) Math.round(time / dt));
        }
    }

    private final KuramotoSivashinsky ks;
    private final double[] initialStates;
    private final double[] observations;
    private final double[] trueParameters;

    public KsProblems(KuramotoSivashinsky ks, double[] initialStates, double[] observations, double[] trueParameters) {
        int n = ks.points();
        if (observations.length == 0 || observations.length % n != 0) {
            throw new IllegalArgumentException("Kuramoto-Sivashinsky observations must be [n, " + n
                    + "] with n >= 1, got " + observations.length + " values");
        }
        if (initialStates.length != observations.length) {
            throw new IllegalArgumentException("Kuramoto-Sivashinsky: " + initialStates.length
                    + " initial state values for "
                    + observations.length / n + " observations of " + n
                    + " points (need as many values as the observations)");
        }
        this.ks = ks;
        this.initialStates = initialStates;
        this.observations = observations;
        this.trueParameters = trueParameters;
    }

    /**
     * n problems: alpha ~ U[-1, 1], beta ~ U[0.5, 1.5], u(0) a random sum of modes 1..8, all fixed
     * by the seed; y = u(T) without noise.
     */
    public static KsProblems generate(Physics physics, int n, long seed) {
        return generate(physics, n, seed, 0, n);
    }

    /**
     * Problems [start, end) of {@code generate(physics, n, seed)}, the same values: every draw is
     * made, as the seed's stream orders them, but only these problems are simulated.
     */
    public static KsProblems generate(Physics physics, int n, long seed, int start, int end) {
        if (n < 1) throw new IllegalArgumentException("n must be >= 1, got " + n);
        if (start < 0 || end < start || end > n) throw new IllegalArgumentException("problems [" + start + ", " + end
                + ") of " + n);
        KuramotoSivashinsky ks = physics.solver();
        int points = ks.points();
        SplittableRandom rng = new SplittableRandom(seed);
        double[] alpha = new double[n], beta = new double[n], params = new double[2 * n], u0 = new double[n * points];
        for (int i = 0; i < n; i++) {
            alpha[i] = ALPHA_MIN + (ALPHA_MAX - ALPHA_MIN) * rng.nextDouble();
            beta[i] = BETA_MIN + (BETA_MAX - BETA_MIN) * rng.nextDouble();
            params[2 * i] = alpha[i];
            params[2 * i + 1] = beta[i];
            initialState(rng, u0, i * points, points);
        }
        int m = end - start;
        double[] a = Arrays.copyOfRange(alpha, start, end), b = Arrays.copyOfRange(beta, start, end);
        double[] initial = Arrays.copyOfRange(u0, start * points, end * points);
        boolean[] diverged = new boolean[m];
        double[] y = ks.simulate(a, b, initial, diverged);
        for (int i = 0; i < m; i++) {
            // never seen (the bounds keep the system stable); a target of NaN must not get through silently
            if (diverged[i]) {
                throw new IllegalStateException("problem " + (start + i) + " diverged at its true parameters " + a[i]
                        + ", " + b[i]);
            }
        }
        return new KsProblems(ks, initial, y, Arrays.copyOfRange(params, 2 * start, 2 * end));
    }

    /**
     * Sum over k = 1..8 of a_k cos(2 pi k x / L) + b_k sin(2 pi k x / L) with a_k, b_k ~ N(0, 1/k)
     * (1/k the variance, as in the NumPy reference test-data/ks/make_reference.py), divided by its
     * standard deviation over the grid.
     */
    /**
     * {@code count} such states of {@code points} values each, one after the other (the experiment's, tests' and
     * benchmarks' one generator).
     */
    public static double[] initialStates(SplittableRandom rng, int count, int points) {
        double[] u = new double[count * points];
        for (int i = 0; i < count; i++) initialState(rng, u, i * points, points);
        return u;
    }

    static void initialState(SplittableRandom rng, double[] u, int offset, int points) {
        for (int k = 1; k <= MODES; k++) {
            double sd = Math.sqrt(1.0 / k), a = sd * rng.nextGaussian(), b = sd * rng.nextGaussian();
            for (int j = 0; j < points; j++) {
                double phase = 2 * Math.PI * k * j / points;
                u[offset + j] += a * Math.cos(phase) + b * Math.sin(phase);
            }
        }
        double mean = 0, var = 0;
        for (int j = 0; j < points; j++) mean += u[offset + j] / points;
        for (int j = 0; j < points; j++) var += (u[offset + j] - mean) * (u[offset + j] - mean) / points;
        double scale = 1 / Math.sqrt(var);
        for (int j = 0; j < points; j++) u[offset + j] *= scale;
    }

    /** The CPU solver these problems are evaluated with (its N, L, dt and steps define the physics). */
    public KuramotoSivashinsky solver() {
        return ks;
    }

    @Override
    public int size() {
        return observations.length / ks.points();
    }

    @Override
    public Bounds bounds() {
        return new Bounds(new double[] {ALPHA_MIN, BETA_MIN}, new double[] {ALPHA_MAX, BETA_MAX});
    }

    /** One batched solver call; a diverged problem gets {@link #DIVERGED_LOSS} and zero gradient. */
    @Override
    public void lossAndGradient(int[] problems, double[] xi, double[] loss, double[] gradient) {
        ks.lossAndGradient(problems, xi, initialStates, observations, loss, gradient);
        for (int j = 0; j < problems.length; j++) if (loss[j] == Double.POSITIVE_INFINITY) loss[j] = DIVERGED_LOSS;
    }

    @Override
    public double[] observations() {
        return observations;
    }

    @Override
    public int[] observationShape() {
        return new int[] {ks.points()};
    }

    @Override
    public double[] inputs() {
        return initialStates;
    }

    @Override
    public int[] inputShape() {
        return new int[] {ks.points()};
    }

    /** (alpha, beta) per problem for generated problems, {@code null} for user-supplied observations. */
    @Override
    public double[] trueParameters() {
        return trueParameters == null ? null : trueParameters.clone();
    }
}
