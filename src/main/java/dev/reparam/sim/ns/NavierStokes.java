package dev.reparam.sim.ns;

import dev.reparam.tensor.Parallel;

import java.util.Arrays;

/**
 * Incompressible Navier-Stokes with obstacles (paper, section 4.4) on a {@link MacGrid}: at t = 0
 * the {@link GaussianForce} with xi = (x0, v0x, v0y) is added to the initial velocity, then
 * {@code steps} steps of {@link FluidStep} (semi-Lagrangian advection, explicit viscosity,
 * projection by conjugate gradients). Batched over problems, each problem serial on one
 * {@link Parallel} worker with its own work arrays, so results do not depend on the thread count
 * or on the rest of the batch.
 *
 * <p>States are laid out as in {@link MacGrid}, {@code grid.size()} values per problem;
 * closed-face entries of an initial state are ignored (treated as 0).
 */
public final class NavierStokes {
    public static final double DEFAULT_CG_TOLERANCE = 1e-5;

    private final MacGrid grid;
    private final double dt, nu, cgTolerance;
    private final int steps, checkpointInterval;
    private final ProjectionPreconditioner preconditioner;

    /** CG tolerance 1e-5, the default preconditioner, checkpoint interval ceil(sqrt(steps)). */
    public NavierStokes(MacGrid grid, double dt, int steps, double nu) {
        this(grid, dt, steps, nu, DEFAULT_CG_TOLERANCE, (int) Math.ceil(Math.sqrt(steps)));
    }

    /** CG with {@link ProjectionPreconditioner#DEFAULT}. */
    public NavierStokes(MacGrid grid, double dt, int steps, double nu, double cgTolerance, int checkpointInterval) {
        this(grid, dt, steps, nu, cgTolerance, checkpointInterval, ProjectionPreconditioner.DEFAULT);
    }

    /** {@code preconditioned}: MIC(0)-preconditioned, else plain CG. */
    public NavierStokes(MacGrid grid, double dt, int steps, double nu, double cgTolerance, int checkpointInterval,
                        boolean preconditioned) {
        this(grid, dt, steps, nu, cgTolerance, checkpointInterval,
                preconditioned ? ProjectionPreconditioner.MIC : ProjectionPreconditioner.NONE);
    }

    /**
     * The adjoint keeps the state every {@code checkpointInterval} steps and recomputes one
     * segment at a time: memory (steps / C + C) states per problem, about two forward passes
     * plus the adjoint in time. {@code cgTolerance} is the relative residual at which both the
     * forward and the adjoint pressure solves stop. {@code preconditioner} selects the CG preconditioner:
     * same projection, different iteration counts (see docs/ns.md).
     */
    public NavierStokes(MacGrid grid, double dt, int steps, double nu, double cgTolerance, int checkpointInterval,
                        ProjectionPreconditioner preconditioner) {
        if (!(dt > 0) || !(nu >= 0)) {
            throw new IllegalArgumentException("need dt > 0 and nu >= 0, got dt = " + dt + ", nu = " + nu);
        }
        if (steps < 1 || checkpointInterval < 1) {
            throw new IllegalArgumentException("need steps >= 1 and checkpoint interval >= 1");
        }
        if (!(cgTolerance > 0)) throw new IllegalArgumentException("CG tolerance must be > 0, got " + cgTolerance);
        this.grid = grid;
        this.dt = dt;
        this.steps = steps;
        this.nu = nu;
        this.cgTolerance = cgTolerance;
        this.checkpointInterval = checkpointInterval;
        if (preconditioner == null) throw new IllegalArgumentException("CG preconditioner must not be null");
        this.preconditioner = preconditioner;
    }

    public MacGrid grid() { return grid; }
    public int steps() { return steps; }

    /** Final states [problems * size] for params [problems * 3] = (x0, v0x, v0y) and initial states. */
    public double[] simulate(double[] params, double[] initial) {
        return simulate(params, initial, null);
    }

    /** As above; also writes each problem's total forward CG iterations to {@code cgIterations} when not null. */
    public double[] simulate(double[] params, double[] initial, long[] cgIterations) {
        int problems = params.length / 3, size = grid.size();
        if (params.length != 3 * problems || initial.length != problems * size) {
            throw new IllegalArgumentException("simulate: " + params.length + " params (3 per problem), "
                    + initial.length + " initial values for " + size + " per problem");
        }
        double[] out = new double[problems * size];
        Parallel.forEach(problems, workPerProblem(), p -> {
            FluidStep step = newStep();
            double[] s = rollout(step, params, 3 * p, initial, p * size, null);
            System.arraycopy(s, 0, out, p * size, size);
            if (cgIterations != null) cgIterations[p] = step.projection.iterations();
        });
        return out;
    }

    /**
     * For j in [0, k): loss[j] = mean squared difference between the observed top half
     * ({@link MacGrid#observe}) of the final state of problem rows[j] at xi = params[3j..3j+3)
     * and targets[rows[j] * observedSize..), and grad[3j..3j+3) its derivative in xi.
     */
    public void lossAndGradient(int[] rows, double[] params, double[] initials, double[] targets, double[] loss,
            double[] grad) {
        lossAndGradient(rows, params, initials, targets, loss, grad, null);
    }

    /** As above; also writes d loss[j] / d initial state into {@code gradInitial[j * size..)} when not null. */
    public void lossAndGradient(int[] rows, double[] params, double[] initials, double[] targets, double[] loss,
            double[] grad, double[] gradInitial) {
        int k = rows.length, size = grid.size(), obs = grid.observedSize();
        if (params.length != 3 * k || loss.length < k || grad.length < 3 * k
                || (gradInitial != null && gradInitial.length < k * size)) {
            throw new IllegalArgumentException("lossAndGradient: " + k
                    + " rows need 3k params, k losses, 3k gradients, k*size initial gradients");
        }
        int[] ranges = grid.observedRanges();
        // forward, recompute and adjoint (two solves per step): about four forward passes
        Parallel.forEach(k, 4 * workPerProblem(), j -> {
            FluidStep step = newStep();
            double[] checkpoints = new double[segments() * size];
            double[] s = rollout(step, params, 3 * j, initials, rows[j] * size, checkpoints);
            double[] bar = new double[size];
            double sum = 0;
            int t = rows[j] * obs;
            for (int r = 0; r < ranges.length; r += 2) {
                for (int f = ranges[r]; f < ranges[r + 1]; f++, t++) {
                    double d = s[f] - targets[t];
                    sum += d * d;
                    bar[f] = 2 * d / obs;
                }
            }
            loss[j] = sum / obs;
            double[] initialBar = backward(step, params, 3 * j, checkpoints, bar, grad, 3 * j);
            if (gradInitial != null) System.arraycopy(initialBar, 0, gradInitial, j * size, size);
        });
    }

    /** One step from state s (closed faces ignored), for tests. */
    double[] step(double[] s) {
        double[] in = s.clone(), out = new double[grid.size()];
        grid.maskClosed(in, 0);
        newStep().forward(in, out);
        return out;
    }

    /** (d step / d s)^T outBar at s, for tests. */
    double[] stepVjp(double[] s, double[] outBar) {
        double[] in = s.clone(), sBar = new double[grid.size()];
        grid.maskClosed(in, 0);
        newStep().adjoint(in, outBar, sBar);
        grid.maskClosed(sBar, 0);
        return sBar;
    }

    /**
     * Vector-Jacobian product of one problem's rollout final = F(xi, initial): given the final-state
     * cotangent, writes (d F / d xi)^T finalBar to grad[0..3) and returns (d F / d initial)^T finalBar.
     */
    public double[] vectorJacobian(double[] xi, double[] initial, double[] finalBar, double[] grad) {
        FluidStep step = newStep();
        double[] checkpoints = new double[segments() * grid.size()];
        rollout(step, xi, 0, initial, 0, checkpoints);
        return backward(step, xi, 0, checkpoints, finalBar, grad, 0);
    }

    private FluidStep newStep() {
        return new FluidStep(grid, dt, nu, cgTolerance, preconditioner);
    }

    private long workPerProblem() {
        // dominated by CG: of the order of 100 iterations of ~20 operations per cell per step
        return (long) steps * 2000 * grid.cells();
    }

    private int segments() {
        return (steps + checkpointInterval - 1) / checkpointInterval;
    }

    /**
     * Forces and steps one problem; keeps the state before steps 0, C, 2C, ... in
     * {@code checkpoints} when not null. Returns the final state.
     */
    private double[] rollout(FluidStep step, double[] params, int pOff, double[] initial, int offset,
            double[] checkpoints) {
        int size = grid.size();
        double[] s = Arrays.copyOfRange(initial, offset, offset + size), next = new double[size];
        grid.maskClosed(s, 0);
        GaussianForce.apply(grid, s, params[pOff], params[pOff + 1], params[pOff + 2]);
        for (int k = 0; k < steps; k++) {
            if (checkpoints != null && k % checkpointInterval == 0) {
                System.arraycopy(s, 0, checkpoints, k / checkpointInterval * size, size);
            }
            step.forward(s, next);
            double[] t = s;
            s = next;
            next = t;
        }
        return s;
    }

    /**
     * Reverse pass from the final-state cotangent: per checkpoint segment, backwards, recompute
     * the segment's states from its checkpoint (bit-identical to the first pass: same code, same
     * zero CG start) and apply the step adjoints in reverse. The force adds to the state, so the
     * state cotangent after it is the initial state's cotangent (masked: closed faces are ignored).
     */
    private double[] backward(FluidStep step, double[] params, int pOff, double[] checkpoints, double[] finalBar,
                              double[] grad, int gOff) {
        int size = grid.size();
        double[] states = new double[checkpointInterval * size];
        double[] bar = finalBar.clone(), prev = new double[size], s = new double[size], next = new double[size];
        for (int seg = segments() - 1; seg >= 0; seg--) {
            int first = seg * checkpointInterval, end = Math.min(steps, first + checkpointInterval);
            System.arraycopy(checkpoints, seg * size, s, 0, size);
            for (int k = first; k < end; k++) {
                System.arraycopy(s, 0, states, (k - first) * size, size);
                if (k + 1 < end) {
                    step.forward(s, next);
                    double[] t = s;
                    s = next;
                    next = t;
                }
            }
            for (int k = end - 1; k >= first; k--) {
                System.arraycopy(states, (k - first) * size, s, 0, size);
                step.adjoint(s, bar, prev);
                double[] t = bar;
                bar = prev;
                prev = t;
            }
        }
        GaussianForce.gradient(grid, bar, params[pOff], params[pOff + 1], params[pOff + 2], grad, gOff);
        grid.maskClosed(bar, 0);
        return bar;
    }
}
