package dev.reparam.sim.ns.cuda;

import dev.reparam.cuda.CudaDtype;
import dev.reparam.cuda.DeviceBuffer;
import dev.reparam.cuda.DeviceMemory;
import dev.reparam.cuda.IntDeviceBuffer;
import dev.reparam.cuda.LoadedKernels;
import dev.reparam.sim.ns.MacGrid;

import java.util.Arrays;

/**
 * The Navier-Stokes rollout and its adjoint on the device, batched over up to {@code capacity}
 * problems: the same model as {@link dev.reparam.sim.ns.NavierStokes} (force at t = 0, then
 * advection, viscosity, projection per step; loss = mean squared difference on the observed top
 * half), with a parallel CG preconditioner ({@link CgPreconditioner#DEFAULT}: a multigrid V-cycle;
 * or red-black SSOR, Jacobi): the same projection to the CG tolerance as the CPU's.
 *
 * <p>All states of the rollout stay on the device (no checkpoint recompute): (steps + 1) x
 * capacity x size values, 590 MB in float64 for 64 problems of the paper's 100 x 100 grid and
 * 56 steps. Host traffic per {@link #lossAndGradient}: the rows and parameters in, k losses and
 * 3k gradient values out, plus one read of k flags every {@link DeviceProjection#checkEvery}
 * CG iterations; per {@link #queueLossAndGradient} (the device path) only those flag reads. Not thread-safe; the
 * kernels' context must be current on the calling thread.
 */
public final class CudaNavierStokes implements AutoCloseable {
    private final NsGeometry g;
    private final MacGrid grid;
    private final CudaDtype dtype;
    private final int steps, capacity;
    private final IntDeviceBuffer open;
    private final DeviceArena arena;
    private final NsKernels k;
    private final DeviceFluidStep step;
    /** states[s] = the batch's state before step s; states[steps] the final state. */
    private final DeviceBuffer[] states;
    private final DeviceBuffer initial, targets, params, grad, loss, bar, barNext;
    private final IntDeviceBuffer rows;

    public CudaNavierStokes(LoadedKernels kernels, DeviceMemory memory, CudaDtype dtype, MacGrid grid, double dt,
            int steps, double nu, double cgTolerance, int capacity) {
        this(kernels, memory, dtype, grid, dt, steps, nu, cgTolerance, CgPreconditioner.DEFAULT, capacity);
    }

    /** A solver for batches of up to {@code capacity} problems, its buffers from {@code memory}. */
    public CudaNavierStokes(LoadedKernels kernels, DeviceMemory memory, CudaDtype dtype, MacGrid grid, double dt,
            int steps, double nu, double cgTolerance, CgPreconditioner preconditioner, int capacity) {
        if (!(dt > 0) || !(nu >= 0)) {
            throw new IllegalArgumentException("need dt > 0 and nu >= 0, got dt = " + dt + ", nu = " + nu);
        }
        if (steps < 1 || capacity < 1) {
            throw new IllegalArgumentException("need steps >= 1 and capacity >= 1, got " + steps + ", " + capacity);
        }
        if (preconditioner == null) {
            throw new IllegalArgumentException("CG preconditioner must be given (MULTIGRID, RED_BLACK_SSOR or JACOBI)");
        }
        this.g = new NsGeometry(grid);
        this.grid = grid;
        this.dtype = dtype;
        this.steps = steps;
        this.capacity = capacity;
        this.arena = new DeviceArena(memory);
        try {
            this.open = arena.ints(g.size);
            open.uploadPrefix(NsGeometry.openMask(grid));
            this.k = new NsKernels(kernels, dtype, g, open);
            this.step = new DeviceFluidStep(k, arena, grid, dt, nu, cgTolerance, preconditioner, capacity);
            long faces = (long) capacity * g.size;
            this.states = new DeviceBuffer[steps + 1];
            for (int s = 0; s <= steps; s++) states[s] = arena.values(faces, dtype);
            this.initial = arena.values(faces, dtype);
            this.targets = arena.values((long) capacity * g.observed, dtype);
            this.params = arena.values(3L * capacity, dtype);
            this.grad = arena.values(3L * capacity, CudaDtype.FLOAT64);
            this.loss = arena.values(capacity, CudaDtype.FLOAT64);
            this.bar = arena.values(faces, dtype);
            this.barNext = arena.values(faces, dtype);
            this.rows = arena.ints(capacity);
        } catch (RuntimeException e) {
            try {
                arena.close();
            } catch (RuntimeException freeing) {
                e.addSuppressed(freeing);
            }
            throw e;
        }
    }

    public int capacity() { return capacity; }

    public MacGrid grid() { return grid; }

    public CudaDtype dtype() { return dtype; }

    /** Device memory this solver holds, in bytes. */
    public long deviceBytes() { return arena.bytes(); }

    /**
     * Final states [k * size] for params [k * 3] = (x0, v0x, v0y) and initial states [k * size] (closed faces ignored).
     */
    public double[] simulate(double[] xi, double[] initialStates) {
        int n = batch(xi.length / 3, "simulate");
        requireLength(xi, 3 * n, "parameters");
        requireLength(initialStates, n * g.size, "initial states");
        initial.uploadPrefix(initialStates);
        params.uploadPrefix(xi);
        rollout(n);
        return first(states[steps], n * g.size);
    }

    /**
     * For j in [0, k): loss[j] = mean squared difference between the observed top half of the final
     * state of problem rows[j] (initial state initials[rows[j] * size..), xi = xi[3j..3j+3)) and
     * targets[rows[j] * observed..), and grad[3j..3j+3) its derivative in xi. {@code initials} and
     * {@code allTargets} are the problem set's arrays on the device (uploaded once).
     */
    public void lossAndGradient(int[] rowIndices, double[] xi, DeviceBuffer initials, DeviceBuffer allTargets,
                                double[] lossOut, double[] gradOut) {
        int n = batch(rowIndices.length, "lossAndGradient");
        requireLength(xi, 3 * n, "parameters");
        if (lossOut.length < n || gradOut.length < 3 * n) {
            throw new IllegalArgumentException("lossAndGradient: " + n + " rows need " + n + " losses and " + 3 * n
                    + " gradients");
        }
        int available = Math.min(initials.length() / g.size, allTargets.length() / g.observed);
        for (int r : rowIndices) {
            if (r < 0 || r >= available) {
                throw new IllegalArgumentException("lossAndGradient: row " + r + " of " + available + " problems");
            }
        }
        rows.uploadPrefix(rowIndices);
        params.uploadPrefix(xi);
        queueLossAndGradient(rows, n, initials, allTargets);
        System.arraycopy(first(loss, n), 0, lossOut, 0, n);
        System.arraycopy(first(grad, 3 * n), 0, gradOut, 0, 3 * n);
    }

    /**
     * The device path's evaluation (CudaNsLoss): for j in [0, n), the loss and gradient of problem
     * rowIndices[j] at the parameters already in {@link #parameters()}[3j..3j+3), into
     * {@link #losses()} and {@link #gradients()}. No copy to or from the host and no allocation;
     * the one host traffic is the projection's read of the CG done flags every
     * {@link DeviceProjection#checkEvery} iterations (a synchronisation), so this is not capturable
     * in a CUDA graph. {@code rowIndices} must hold n valid rows of {@code initials} and
     * {@code allTargets} (not checked here: it lives on the device).
     */
    public void queueLossAndGradient(IntDeviceBuffer rowIndices, int n, DeviceBuffer initials,
            DeviceBuffer allTargets) {
        batch(n, "queueLossAndGradient");
        k.gatherRows(initials, rowIndices, g.size, n, initial);
        k.gatherRows(allTargets, rowIndices, g.observed, n, targets);
        rollout(n);
        k.observeLoss(states[steps], targets, n, bar, loss);
        DeviceBuffer cotangent = bar, next = barNext;
        for (int s = steps - 1; s >= 0; s--) {
            step.adjoint(states[s], cotangent, next, n);
            DeviceBuffer t = cotangent;
            cotangent = next;
            next = t;
        }
        k.forceGradient(cotangent, params, n, grad);
    }

    /** The batch's parameters (x0, v0x, v0y) per problem, [3 x capacity] in the solver's dtype. */
    public DeviceBuffer parameters() { return params; }

    /** The batch's losses after {@link #queueLossAndGradient}, [capacity] float64. */
    public DeviceBuffer losses() { return loss; }

    /** The batch's gradients in (x0, v0x, v0y) after {@link #queueLossAndGradient}, [3 x capacity] float64. */
    public DeviceBuffer gradients() { return grad; }

    private void rollout(int n) {
        k.forceInitial(initial, params, n, states[0]);
        for (int s = 0; s < steps; s++) step.forward(states[s], states[s + 1], n);
    }

    // ---- single operations, for the parity tests (states with closed faces 0) -----------------

    /** One step of each state [k * size]. */
    public double[] step(double[] s) {
        int n = statesIn(s, states[0]);
        step.forward(states[0], states[1], n);
        return first(states[1], n * g.size);
    }

    /** (d step / d s)^T outBar at each state s. */
    public double[] stepVjp(double[] s, double[] outBar) {
        int n = statesIn(s, states[0]);
        statesIn(outBar, bar);
        step.adjoint(states[0], bar, barNext, n);
        return first(barNext, n * g.size);
    }

    /** P a of each state. */
    public double[] project(double[] a) {
        int n = statesIn(a, states[0]);
        step.project(states[0], states[1], n);
        return first(states[1], n * g.size);
    }

    /** Advection of each state. */
    public double[] advect(double[] s) {
        int n = statesIn(s, states[0]);
        step.advection.forward(states[0], states[1], n);
        return first(states[1], n * g.size);
    }

    /** (d advect / d s)^T outBar at each state s. */
    public double[] advectVjp(double[] s, double[] outBar) {
        int n = statesIn(s, states[0]);
        statesIn(outBar, bar);
        step.advection.adjoint(states[0], bar, barNext, n);
        return first(barNext, n * g.size);
    }

    /** The projection's CG preconditioner. */
    public CgPreconditioner preconditioner() {
        return step.projection.preconditioner();
    }

    /** Per-problem CG iterations of the last projection. */
    public int[] lastCgIterations() {
        return step.projection.lastIterations();
    }

    /** CG iterations summed over problems and projections (forward and adjoint) so far. */
    public long totalCgIterations() {
        return step.projection.totalIterations();
    }

    /** Per-problem gather reach of the last advection adjoint. */
    public int[] lastAdvectionReach() {
        return step.advection.lastReach();
    }

    private int statesIn(double[] values, DeviceBuffer into) {
        if (values.length % g.size != 0) {
            throw new IllegalArgumentException(values.length + " values are not whole states of " + g.size);
        }
        int n = batch(values.length / g.size, "states");
        into.uploadPrefix(values);
        return n;
    }

    private int batch(int n, String what) {
        if (n < 1 || n > capacity) {
            throw new IllegalArgumentException(what + ": " + n + " problems, this solver holds 1 to " + capacity);
        }
        return n;
    }

    private static void requireLength(double[] a, int length, String what) {
        if (a.length != length) {
            throw new IllegalArgumentException(what + ": " + a.length + " values, expected " + length);
        }
    }

    private static double[] first(DeviceBuffer b, int count) {
        return Arrays.copyOf(b.download(), count);
    }

    @Override
    public void close() {
        arena.close();
    }
}
