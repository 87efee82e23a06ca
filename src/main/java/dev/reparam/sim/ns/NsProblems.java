package dev.reparam.sim.ns;

import dev.reparam.inverse.ProblemSet;
import dev.reparam.tensor.Bounds;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Incompressible Navier-Stokes problems with obstacles (paper 4.4): find the force xi = (x0, v0x,
 * v0y) from the known top half x_i of the initial velocity and the observed top half y_i of the
 * final velocity; loss = mean squared difference over the observed top half.
 *
 * <p>The observations were made from the full initial velocity, but the bottom half of it is
 * unknown to the methods: they simulate with it set to zero, so even the true parameters leave a
 * loss > 0 (the paper's partial observation). Both x_i and y_i use {@link MacGrid#observe}'s
 * layout: u rows j >= H/2 ((W + 1) H/2 values), then v rows j >= H/2 (W (H/2 + 1) values).
 */
public final class NsProblems implements ProblemSet {
    /** Force strength bounds per component; x0 bounds are [0.2 W, 0.8 W] (the paper's [20, 80] at W = 100). */
    public static final double V_MAX = 2;
    /** Amplitude of the smooth random initial velocity. */
    public static final double NOISE_AMPLITUDE = 0.3;

    /** Grid, time stepping and CG tolerance of a profile. */
    public record Physics(int width, int height, double dt, int steps, double nu, double cgTolerance) {
        /** Paper: 100 x 100 cells, dt = 1, 56 steps, nu = 0.01, CG tolerance 1e-5. */
        public static final Physics PAPER = new Physics(100, 100, 1, 56, 0.01, NavierStokes.DEFAULT_CG_TOLERANCE);
        /**
         * Tests: 32 x 32 cells (obstacles scaled by {@link MacGrid#threeObstacles}), 8 steps. The force
         * centre y = 15 and radius 5 are fixed cells in the solver, so here the force sits at the
         * obstacles' height and reaches into the observed half directly.
         */
        public static final Physics QUICK = new Physics(32, 32, 1, 8, 0.01, NavierStokes.DEFAULT_CG_TOLERANCE);

        /** The same physics with another CG tolerance (tests compare gradients at 1e-12). */
        public Physics withCgTolerance(double tol) {
            return new Physics(width, height, dt, steps, nu, tol);
        }

        public MacGrid grid() {
            return MacGrid.threeObstacles(width, height);
        }

        public NavierStokes solver() {
            return new NavierStokes(grid(), dt, steps, nu, cgTolerance, (int) Math.ceil(Math.sqrt(steps)));
        }

        public Bounds bounds() {
            return new Bounds(new double[] {0.2 * width, -V_MAX, -V_MAX}, new double[] {0.8 * width, V_MAX, V_MAX});
        }
    }

    private final Physics physics;
    private final NavierStokes ns;
    private final double[] knownTopHalf;
    /** The methods' initial states: x_i in the top half, zeros below, [n * grid.size()]. */
    private final double[] knownInitial;
    private final double[] observations;
    private final double[] trueParameters;

    public NsProblems(Physics physics, double[] knownTopHalf, double[] observations, double[] trueParameters) {
        this.physics = physics;
        this.ns = physics.solver();
        MacGrid g = ns.grid();
        int obs = g.observedSize();
        if (observations.length == 0 || observations.length % obs != 0) {
            throw new IllegalArgumentException("Navier-Stokes observations must be [n, " + obs + "] with n >= 1, got "
                    + observations.length + " values");
        }
        if (knownTopHalf.length != observations.length) {
            throw new IllegalArgumentException("Navier-Stokes: " + knownTopHalf.length + " initial top-half values for "
                    + observations.length / obs + " observations of " + obs
                    + " values (need as many values as the observations)");
        }
        this.knownTopHalf = knownTopHalf;
        this.observations = observations;
        this.trueParameters = trueParameters;
        this.knownInitial = withZeroBottom(g, knownTopHalf, observations.length / obs);
    }

    /** Full states whose observed top half is {@code topHalf} and whose other faces are 0. */
    public static double[] withZeroBottom(MacGrid g, double[] topHalf, int n) {
        int obs = g.observedSize(), uTop = g.uSize() - g.u(0, g.h / 2), vStart = g.v(0, g.h / 2);
        double[] s = new double[n * g.size()];
        for (int p = 0; p < n; p++) {
            System.arraycopy(topHalf, p * obs, s, p * g.size() + g.u(0, g.h / 2), uTop);
            System.arraycopy(topHalf, p * obs + uTop, s, p * g.size() + vStart, obs - uTop);
        }
        return s;
    }

    /**
     * n problems: x0 ~ U[0.2 W, 0.8 W], v0 ~ U[-2, 2]^2 and a smooth random initial velocity in the
     * whole domain, all fixed by the seed; y = top half of the final velocity from the full initial
     * velocity, without noise.
     */
    public static NsProblems generate(Physics physics, int n, long seed) {
        return generate(physics, n, seed, 0, n);
    }

    /**
     * Problems [start, end) of {@code generate(physics, n, seed)}, the same values: every draw is
     * made, as the seed's stream orders them, but only these problems are simulated.
     */
    public static NsProblems generate(Physics physics, int n, long seed, int start, int end) {
        if (n < 1) throw new IllegalArgumentException("n must be >= 1, got " + n);
        if (start < 0 || end < start || end > n) throw new IllegalArgumentException("problems [" + start + ", " + end
                + ") of " + n);
        SplittableRandom rng = new SplittableRandom(seed);
        MacGrid g = physics.grid();
        Bounds b = physics.bounds();
        double[] params = new double[3 * n];
        for (int i = 0; i < 3 * n; i++) params[i] = b.lo(i % 3) + (b.hi(i % 3) - b.lo(i % 3)) * rng.nextDouble();
        double[] s0 = SmoothNoise.states(rng, g, n, NOISE_AMPLITUDE);
        int m = end - start;
        double[] mine = Arrays.copyOfRange(params, 3 * start, 3 * end);
        double[] initial = Arrays.copyOfRange(s0, start * g.size(), end * g.size());
        double[] y = g.observe(physics.solver().simulate(mine, initial), m);
        return new NsProblems(physics, g.observe(initial, m), y, mine);
    }

    public Physics physics() {
        return physics;
    }

    /** The methods' initial states (known top half, zero bottom), [n * grid.size()]; not a copy. */
    public double[] knownInitial() {
        return knownInitial;
    }

    @Override
    public int size() {
        return observations.length / ns.grid().observedSize();
    }

    @Override
    public Bounds bounds() {
        return physics.bounds();
    }

    /** One batched solver call from the known initial states (bottom half zero). */
    @Override
    public void lossAndGradient(int[] problems, double[] xi, double[] loss, double[] gradient) {
        ns.lossAndGradient(problems, xi, knownInitial, observations, loss, gradient);
    }

    @Override
    public double[] observations() {
        return observations;
    }

    @Override
    public int[] observationShape() {
        return new int[] {ns.grid().observedSize()};
    }

    @Override
    public double[] inputs() {
        return knownTopHalf;
    }

    @Override
    public int[] inputShape() {
        return new int[] {ns.grid().observedSize()};
    }

    /** (x0, v0x, v0y) per problem for generated problems, {@code null} for user-supplied observations. */
    @Override
    public double[] trueParameters() {
        return trueParameters == null ? null : trueParameters.clone();
    }
}
