package dev.reparam.sim.ns.cuda;

import dev.reparam.cuda.CudaBackend;
import dev.reparam.cuda.DeviceBuffer;
import dev.reparam.cuda.DeviceMemory;
import dev.reparam.cuda.IntDeviceBuffer;
import dev.reparam.inverse.ForwardingProblemSet;
import dev.reparam.inverse.PlacedProblems;
import dev.reparam.sim.ns.NsProblems;
import dev.reparam.tensor.Backend;
import dev.reparam.tensor.BatchedLoss;
import dev.reparam.tensor.Bounds;

import java.util.Arrays;

/**
 * {@link NsProblems} with the loss and gradient computed on the GPU ({@link CudaNavierStokes}):
 * the same contract (host xi in; k losses and 3k gradient values out), everything else delegated.
 * The known initial states and the observations are uploaded once; a call runs its rows in
 * batches of at most {@link #MAX_BATCH} problems, which bounds the device memory the stored
 * rollout needs. The device's projection uses multigrid-preconditioned CG (CgPreconditioner.DEFAULT),
 * the CPU the same V-cycle in its own summation order (ProjectionPreconditioner.DEFAULT): both stop at the same
 * relative residual, so losses and gradients agree to about the CG tolerance, not bit for bit (docs/ns.md, CUDA).
 *
 * <p>On its own backend the networks' losses ({@link #batchedLoss}) come straight
 * from the device tensor z ({@link CudaNsLoss}), batch by batch through the same solver, so a
 * reparameterized iteration copies neither z nor the losses. It is not captured as a CUDA graph:
 * the CG reads its done flags back (docs/ns.md, CUDA, "The device loss").
 */
public final class CudaNsProblems extends ForwardingProblemSet implements PlacedProblems {
    /** Largest batch per device rollout: 256 problems of the paper's grid hold 2.4 GB of float64 states. */
    static final int MAX_BATCH = 256;

    private final NsProblems problems;
    private final CudaNavierStokes ns;
    private final CudaBackend backend;
    private final DeviceBuffer initials, observations;
    /** The device path's row indices, one buffer per batch; null until a solve asks for them. */
    private IntDeviceBuffer[] batchRows;

    public CudaNsProblems(NsProblems problems, CudaBackend backend) {
        this(problems, backend, MAX_BATCH);
    }

    /** With batches of at most {@code maxBatch} problems (tests use a small one to cover the batch loop). */
    CudaNsProblems(NsProblems problems, CudaBackend backend, int maxBatch) {
        super(problems);
        this.problems = problems;
        this.backend = backend;
        NsProblems.Physics p = problems.physics();
        DeviceMemory memory = backend.memory();
        this.ns = new CudaNavierStokes(backend.kernels(), memory, backend.dtype(), p.grid(), p.dt(), p.steps(), p.nu(),
                p.cgTolerance(), batchCapacity(problems.size(), maxBatch));
        DeviceBuffer in = null, obs = null;
        try {
            in = memory.buffer(problems.knownInitial().length, backend.dtype());
            in.upload(problems.knownInitial());
            obs = memory.buffer(problems.observations().length, backend.dtype());
            obs.upload(problems.observations());
        } catch (RuntimeException e) {
            if (in != null) in.close();
            if (obs != null) obs.close();
            ns.close();
            throw e;
        }
        this.initials = in;
        this.observations = obs;
    }

    /** Problems per device rollout for a set of n. */
    static int batchCapacity(int n, int maxBatch) {
        if (maxBatch < 1) throw new IllegalArgumentException("batch size must be >= 1, got " + maxBatch);
        return Math.max(1, Math.min(n, maxBatch));
    }

    @Override
    public void lossAndGradient(int[] rows, double[] xi, double[] loss, double[] gradient) {
        int cap = ns.capacity();
        for (int start = 0; start < rows.length; start += cap) {
            int end = Math.min(rows.length, start + cap), k = end - start;
            double[] l = new double[k], gr = new double[3 * k];
            ns.lossAndGradient(Arrays.copyOfRange(rows, start, end), Arrays.copyOfRange(xi, 3 * start, 3 * end),
                    initials, observations, l, gr);
            System.arraycopy(l, 0, loss, start, k);
            System.arraycopy(gr, 0, gradient, 3 * start, 3 * k);
        }
    }

    @Override
    public Backend backend() {
        return backend;
    }

    /**
     * The losses from z on this problem set's backend (on any other: the host path through {@link #lossAndGradient}).
     */
    @Override
    public BatchedLoss batchedLoss(Backend on, Bounds bounds) {
        if (on != backend) return PlacedProblems.super.batchedLoss(on, bounds);
        if (batchRows == null) batchRows = uploadBatchRows(backend.memory(), problems.size(), ns.capacity());
        return new CudaNsLoss(backend, ns, initials, observations, batchRows, problems.size(), bounds);
    }

    /** Rows [b cap, min(n, (b + 1) cap)) for each batch b, uploaded once. */
    private static IntDeviceBuffer[] uploadBatchRows(DeviceMemory memory, int n, int cap) {
        IntDeviceBuffer[] rows = new IntDeviceBuffer[(n + cap - 1) / cap];
        try {
            for (int b = 0; b < rows.length; b++) {
                int start = b * cap, k = Math.min(cap, n - start);
                int[] indices = new int[k];
                for (int j = 0; j < k; j++) indices[j] = start + j;
                rows[b] = memory.ints(k);
                rows[b].uploadPrefix(indices);
            }
        } catch (RuntimeException e) {
            for (IntDeviceBuffer r : rows) if (r != null) r.close();
            throw e;
        }
        return rows;
    }

    @Override
    public void close() {
        if (batchRows != null) for (IntDeviceBuffer r : batchRows) r.close();
        batchRows = null;
        try {
            observations.close();
            initials.close();
        } finally {
            ns.close();
        }
    }
}
