package dev.reparam.sim.ks.cuda;

import dev.reparam.cuda.CudaDevice;
import dev.reparam.cuda.CudaDtype;
import dev.reparam.cuda.DeviceBuffer;
import dev.reparam.cuda.DeviceMemory;
import dev.reparam.cuda.IntDeviceBuffer;
import dev.reparam.cuda.Kernel;
import dev.reparam.cuda.KernelArgs;
import dev.reparam.cuda.LoadedKernels;
import dev.reparam.sim.ks.EtdCoefficientTable;
import dev.reparam.sim.ks.KuramotoSivashinsky;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUfunction_attribute;
import jcuda.driver.JCudaDriver;

import java.util.Arrays;

import static dev.reparam.cuda.CudaCalls.check;

/**
 * The forced Kuramoto-Sivashinsky solver of {@link KuramotoSivashinsky} on a GPU (kernels/ks/ks.cu):
 * the same ETDRK4 step, checkpointed adjoint and blow-up rule, batched over problems with one
 * thread block each, in float64 or float32. Two launches per call: {@code ks_forward} runs every
 * step of every problem and keeps a half spectrum every {@code interval} steps; {@code ks_adjoint}
 * turns u(T) into the loss and walks the segments backwards, recomputing each one's stage grids.
 *
 * <p>A problem whose grid values become non-finite or exceed {@link KuramotoSivashinsky#BLOW_UP}
 * (checked at the start of every step and at the end) stops stepping: {@link #simulate} flags it
 * and returns NaN for its row, a loss is +infinity with zero gradients. No other problem of the
 * batch is affected (blocks share nothing).
 *
 * <p>Not thread-safe: the thread whose context holds the kernels drives it. Device memory: the
 * coefficient table, plus a workspace grown to the largest batch seen of
 * (segments 2M + C 4N + 2N) values T, 3 ints and 3 doubles per problem.
 */
public final class CudaKuramotoSivashinsky implements AutoCloseable {
    private final CudaDevice device;
    private final LoadedKernels kernels;
    private final CudaDtype dtype;
    private final int n, steps, interval, threads, forwardShared, adjointShared;
    private final DeviceMemory memory;
    private final DeviceBuffer table;
    private Workspace workspace;

    /** Checkpoints every ceil(sqrt(steps)) steps, as {@link KuramotoSivashinsky} does. */
    public CudaKuramotoSivashinsky(CudaDevice device, LoadedKernels kernels, DeviceMemory memory, CudaDtype dtype,
            int n, double length, double dt, int steps) {
        this(device, kernels, memory, dtype, n, length, dt, steps, (int) Math.ceil(Math.sqrt(steps)));
    }

    /**
     * A solver of N points on [0, L) with checkpoints every {@code interval} steps, its buffers from {@code memory}.
     */
    public CudaKuramotoSivashinsky(CudaDevice device, LoadedKernels kernels, DeviceMemory memory, CudaDtype dtype,
            int n, double length, double dt, int steps, int interval) {
        KsKernelGeometry.checkPoints(n);
        if (!(length > 0) || !(dt > 0)) {
            throw new IllegalArgumentException("need L > 0 and dt > 0, got L = " + length + ", dt = " + dt);
        }
        if (steps < 1 || interval < 1) {
            throw new IllegalArgumentException("need steps >= 1 and checkpoint interval >= 1, got "
                    + steps + " and " + interval);
        }
        this.device = device;
        this.kernels = kernels;
        this.memory = memory;
        this.dtype = dtype;
        this.n = n;
        this.steps = steps;
        this.interval = interval;
        this.threads = KsKernelGeometry.threads(n);
        this.forwardShared = allowShared(Kernel.KS_FORWARD, KsKernelGeometry.forwardSharedBytes(n, dtype));
        this.adjointShared = allowShared(Kernel.KS_ADJOINT, KsKernelGeometry.adjointSharedBytes(n, dtype));
        double[] packed = EtdCoefficientTable.pack(n, length, dt);
        this.table = memory.buffer(packed.length, dtype);
        table.upload(packed);
    }

    /** The same physics as a CPU solver: N, L, dt and the number of steps (default checkpoint interval). */
    public static CudaKuramotoSivashinsky like(KuramotoSivashinsky cpu, CudaDevice device, LoadedKernels kernels,
            DeviceMemory memory, CudaDtype dtype) {
        return new CudaKuramotoSivashinsky(device, kernels, memory, dtype, cpu.points(), cpu.length(), cpu.dt(),
                cpu.steps());
    }

    public int points() { return n; }

    public CudaDtype dtype() { return dtype; }

    /**
     * Blocks that need more than the default 48 KB of dynamic shared memory (N = 1024 in float64)
     * must opt in per function; beyond the device's opt-in limit the size is refused by name.
     */
    private int allowShared(Kernel kernel, int bytes) {
        if (bytes <= KsKernelGeometry.DEFAULT_SHARED_LIMIT) return bytes;
        CUdevice d = new CUdevice();
        check(JCudaDriver.cuCtxGetDevice(d), "cuCtxGetDevice");
        int[] limit = {0};
        check(JCudaDriver.cuDeviceGetAttribute(limit,
                CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN, d),
                "cuDeviceGetAttribute(max shared memory per block, opt-in)");
        if (bytes > limit[0]) {
            throw new IllegalArgumentException("Kuramoto-Sivashinsky on CUDA: N = " + n + " in " + dtype.suffix()
                    + " needs " + bytes + " bytes of shared memory per block, this device allows " + limit[0]);
        }
        check(JCudaDriver.cuFuncSetAttribute(kernels.function(kernel, dtype),
                        CUfunction_attribute.CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, bytes),
                "cuFuncSetAttribute(" + kernel.symbol(dtype) + ", max dynamic shared memory " + bytes + ")");
        return bytes;
    }

    /** u(T) for each problem, [problems * N]; rows of diverged problems are NaN; sets diverged[i] when not null. */
    public double[] simulate(double[] alpha, double[] beta, double[] u0, boolean[] diverged) {
        int k = alpha.length;
        if (beta.length != k || u0.length != (long) k * n || (diverged != null && diverged.length < k)) {
            throw new IllegalArgumentException("simulate: " + k + " alpha, " + beta.length + " beta, " + u0.length
                    + " initial values for N = " + n);
        }
        if (k == 0) return new double[0];
        double[] params = new double[2 * k];
        int[] rows = new int[k];
        for (int i = 0; i < k; i++) {
            params[2 * i] = alpha[i];
            params[2 * i + 1] = beta[i];
            rows[i] = i;
        }
        try (DeviceBuffer initial = memory.buffer(u0.length, dtype)) {
            initial.upload(u0);
            Workspace w = workspace(k);
            upload(w, rows, params);
            launchForward(w, k, initial, false);
            device.synchronize("ks_forward of " + k + " problems");
            int[] flags = w.diverged.download(k);
            if (diverged != null) for (int i = 0; i < k; i++) diverged[i] = flags[i] != 0;
            return w.uT.download(k * n);
        }
    }

    /**
     * As {@link KuramotoSivashinsky#lossAndGradient(int[], double[], double[], double[], double[], double[],
     * double[])}: uploads u0s and targets for this call only. Repeated calls on the same problems should use
     * {@link #upload} instead, which keeps them on the device.
     */
    public void lossAndGradient(int[] rows, double[] params, double[] u0s, double[] targets, double[] loss,
            double[] grad, double[] gradU0) {
        try (Problems p = upload(u0s, targets)) {
            p.lossAndGradient(rows, params, loss, grad, gradU0);
        }
    }

    /** Keeps the problems' initial states and targets ([count * N] each) on the device. */
    public Problems upload(double[] u0s, double[] targets) {
        if (u0s.length != targets.length || u0s.length % n != 0) {
            throw new IllegalArgumentException("Kuramoto-Sivashinsky on CUDA: " + u0s.length + " initial values and "
                    + targets.length + " target values, need the same multiple of N = " + n);
        }
        return new Problems(u0s, targets);
    }

    /** Problems resident on the device: per call only the parameters go up and loss and gradients come down. */
    public final class Problems implements AutoCloseable {
        private final int count;
        private final DeviceBuffer u0s, targets;

        private Problems(double[] u0s, double[] targets) {
            this.count = u0s.length / n;
            this.u0s = memory.buffer(u0s.length, dtype);
            this.targets = memory.buffer(targets.length, dtype);
            this.u0s.upload(u0s);
            this.targets.upload(targets);
        }

        public int size() { return count; }

        /**
         * For j in [0, k): loss[j] = mean_x (u(T) - y)^2 of problem rows[j] at (alpha, beta) =
         * params[2j, 2j+1], grad[2j, 2j+1] its derivative, and d loss[j] / d u0 into gradU0[j N ..)
         * when gradU0 is not null. A diverged problem: loss +infinity, zero gradients.
         */
        public void lossAndGradient(int[] rows, double[] params, double[] loss, double[] grad, double[] gradU0) {
            int k = rows.length;
            if (params.length != 2 * k || loss.length < k || grad.length < 2 * k
                    || (gradU0 != null && gradU0.length < (long) k * n)) {
                throw new IllegalArgumentException("lossAndGradient: " + k
                        + " rows need 2k params, k losses, 2k gradients, k*N u0 gradients");
            }
            for (int j = 0; j < k; j++) {
                if (rows[j] < 0 || rows[j] >= count) {
                    throw new IllegalArgumentException("lossAndGradient: problem index " + rows[j] + " outside [0, "
                            + count + ")");
                }
            }
            if (k == 0) return;
            Workspace w = workspace(k);
            upload(w, rows, params);
            launchForward(w, k, u0s, true);
            launchAdjoint(w, k, targets, gradU0 != null);
            device.synchronize("ks_forward and ks_adjoint of " + k + " problems");
            System.arraycopy(w.loss.download(k), 0, loss, 0, k);
            System.arraycopy(w.grad.download(2 * k), 0, grad, 0, 2 * k);
            if (gradU0 != null) System.arraycopy(w.gradU0.download(k * n), 0, gradU0, 0, k * n);
        }

        /**
         * Every problem at once, from parameters that are already on the device: see
         * {@link AllOnDevice}. Allocates its own workspace for all problems (and uploads the row
         * indices) here, once; close it before these problems.
         */
        public AllOnDevice allOnDevice() {
            return new AllOnDevice(this);
        }

        @Override
        public void close() {
            u0s.close();
            targets.close();
        }
    }

    /**
     * Loss and gradient of all of a {@link Problems}' problems, with the parameters written into
     * {@link #params()} by earlier device work (a bound map of the network's output) and the
     * results left in {@link #loss()} and {@link #gradient()} for later device work: {@link #queue}
     * launches ks_forward and ks_adjoint and nothing else (no copy, no allocation, no
     * synchronisation), so it can be captured in a CUDA graph. Its workspace is its own, allocated
     * once and never regrown, so the addresses a graph holds stay valid whatever the host-side
     * calls of the same solver do meanwhile.
     */
    public final class AllOnDevice implements AutoCloseable {
        private final Problems problems;
        private final Workspace w;

        private AllOnDevice(Problems problems) {
            this.problems = problems;
            this.w = new Workspace(problems.count);
            try {
                int[] identity = new int[problems.count];
                for (int i = 0; i < identity.length; i++) identity[i] = i;
                w.rows.uploadPrefix(identity);
            } catch (RuntimeException e) {
                w.close();
                throw e;
            }
        }

        public int size() { return problems.count; }

        /** (alpha, beta) of problem j at [2j, 2j + 1], in the solver's dtype: the input of {@link #queue}. */
        public DeviceBuffer params() { return w.params; }

        /** loss[j] as float64, +infinity for a diverged problem (after {@link #queue}). */
        public DeviceBuffer loss() { return w.loss; }

        /** d loss[j] / d (alpha, beta) at [2j, 2j + 1] as float64, zero for a diverged problem. */
        public DeviceBuffer gradient() { return w.grad; }

        /** Queues the evaluation of every problem at {@link #params()}. */
        public void queue() {
            if (problems.count == 0) return;
            launchForward(w, problems.count, problems.u0s, true);
            launchAdjoint(w, problems.count, problems.targets, false);
        }

        @Override
        public void close() {
            w.close();
        }
    }

    /** Copies the batch's problem indices and parameters into the workspace (synchronous: host path only). */
    private static void upload(Workspace w, int[] rows, double[] params) {
        w.rows.uploadPrefix(rows);
        w.params.uploadPrefix(params);
    }

    /**
     * Queues ks_forward for the workspace's first k rows and params on u0s; with checkpoints for a following
     * ks_adjoint.
     */
    private void launchForward(Workspace w, int k, DeviceBuffer u0s, boolean checkpoints) {
        KernelArgs args = new KernelArgs(dtype).buffer("table", table).i32("points", n).i32("steps", steps)
                .i32("interval", interval).buffer("rows", w.rows).buffer("params", w.params).buffer("u0s", u0s);
        if (checkpoints) args.buffer("checkpoints", w.checkpoints); else args.absent("checkpoints");
        args.buffer("uT", w.uT).buffer("diverged", w.diverged);
        kernels.launch(Kernel.KS_FORWARD, dtype, k, threads, forwardShared, args);
    }

    /** Queues ks_adjoint after {@link #launchForward} with checkpoints: loss and gradients into the workspace. */
    private void launchAdjoint(Workspace w, int k, DeviceBuffer targets, boolean gradU0) {
        KernelArgs args = new KernelArgs(dtype).buffer("table", table).i32("points", n).i32("steps", steps)
                .i32("interval", interval).buffer("rows", w.rows).buffer("params", w.params).buffer("targets", targets)
                .buffer("checkpoints", w.checkpoints).buffer("uT", w.uT).buffer("diverged", w.diverged)
                .buffer("stages", w.stages).buffer("loss", w.loss).buffer("grad", w.grad);
        if (gradU0) args.buffer("gradU0", w.gradU0); else args.absent("gradU0");
        kernels.launch(Kernel.KS_ADJOINT, dtype, k, threads, adjointShared, args);
    }

    /**
     * Fills the workspace for k problems with NaN (indices and flags with -1), so that a test sees
     * any output a kernel fails to write. Tests only.
     */
    void poisonWorkspace(int k) {
        Workspace w = workspace(k);
        for (DeviceBuffer b : new DeviceBuffer[] {w.params, w.checkpoints, w.uT, w.stages, w.gradU0, w.loss, w.grad}) {
            double[] nan = new double[b.length()];
            Arrays.fill(nan, Double.NaN);
            b.upload(nan);
        }
        for (IntDeviceBuffer b : new IntDeviceBuffer[] {w.rows, w.diverged}) {
            int[] minusOne = new int[b.length()];
            Arrays.fill(minusOne, -1);
            b.uploadPrefix(minusOne);
        }
    }

    /** The workspace for k problems, grown (never shrunk) to the largest batch so far. */
    private Workspace workspace(int k) {
        if (workspace == null || workspace.capacity < k) {
            if (workspace != null) workspace.close();
            workspace = null;
            workspace = new Workspace(k);
        }
        return workspace;
    }

    /** Per-problem device arrays, room for {@code capacity} problems. */
    private final class Workspace implements AutoCloseable {
        final int capacity;
        final IntDeviceBuffer rows, diverged;
        final DeviceBuffer params, checkpoints, uT, stages, gradU0, loss, grad;

        Workspace(int capacity) {
            this.capacity = capacity;
            // sizes first, so that a batch too large fails before anything is allocated
            int checkpointCount = size(capacity, KsKernelGeometry.checkpointValues(n, steps, interval), "checkpoint");
            int gridCount = size(capacity, n, "grid");
            int stageCount = size(capacity, KsKernelGeometry.stageValues(n, interval), "stage-grid");
            rows = memory.ints(capacity);
            diverged = memory.ints(capacity);
            params = memory.buffer(2 * capacity, dtype);
            checkpoints = memory.buffer(checkpointCount, dtype);
            uT = memory.buffer(gridCount, dtype);
            stages = memory.buffer(stageCount, dtype);
            gradU0 = memory.buffer(gridCount, dtype);
            loss = memory.buffer(capacity, CudaDtype.FLOAT64);
            grad = memory.buffer(2 * capacity, CudaDtype.FLOAT64);
        }

        private int size(int problems, long perProblem, String what) {
            long total = problems * perProblem;
            if (total > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("Kuramoto-Sivashinsky on CUDA: " + problems + " problems need "
                        + total + " "
                        + what + " values, more than one device buffer holds (2^31 - 1): use smaller batches");
            }
            return (int) total;
        }

        @Override
        public void close() {
            for (AutoCloseable b : new AutoCloseable[] {rows, diverged, params, checkpoints, uT, stages, gradU0, loss,
                    grad}) {
                try {
                    b.close();
                } catch (Exception e) {
                    throw new IllegalStateException("freeing the Kuramoto-Sivashinsky workspace", e);
                }
            }
        }
    }

    @Override
    public void close() {
        if (workspace != null) workspace.close();
        workspace = null;
        table.close();
    }
}
