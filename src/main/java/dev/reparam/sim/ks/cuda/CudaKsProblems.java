package dev.reparam.sim.ks.cuda;

import dev.reparam.cuda.CudaBackend;
import dev.reparam.inverse.ForwardingProblemSet;
import dev.reparam.inverse.PlacedProblems;
import dev.reparam.sim.ks.KsProblems;
import dev.reparam.sim.ks.KuramotoSivashinsky;
import dev.reparam.tensor.Backend;
import dev.reparam.tensor.BatchedLoss;
import dev.reparam.tensor.Bounds;

/**
 * {@link KsProblems} evaluated on the GPU: the same problems, bounds and data, with
 * lossAndGradient run by {@link CudaKuramotoSivashinsky} in the backend's dtype. The initial
 * states and observations go to the device once; each call sends the problem indices and xi
 * and gets back one loss and two gradient entries per problem. A diverged problem gets
 * {@link KsProblems#DIVERGED_LOSS} and a zero gradient, as on the CPU. Close it (device memory)
 * before the backend.
 *
 * <p>On its own backend the networks' losses ({@link #batchedLoss}) come straight
 * from the device tensor z ({@link CudaKsLoss}), so a reparameterized iteration copies nothing
 * and is captured as a CUDA graph. That path has its own solver workspace for all problems,
 * allocated at the first {@link #batchedLoss} and kept until {@link #close}.
 */
public final class CudaKsProblems extends ForwardingProblemSet implements PlacedProblems {
    private final KsProblems problems;
    private final CudaBackend backend;
    private final CudaKuramotoSivashinsky solver;
    private final CudaKuramotoSivashinsky.Problems resident;
    /** The device path's evaluation of all problems; null until a solve asks for it. */
    private CudaKuramotoSivashinsky.AllOnDevice allOnDevice;

    public CudaKsProblems(KsProblems problems, CudaBackend backend) {
        super(problems);
        this.problems = problems;
        this.backend = backend;
        KuramotoSivashinsky cpu = problems.solver();
        this.solver = CudaKuramotoSivashinsky.like(cpu, backend.device(), backend.kernels(), backend.memory(),
                backend.dtype());
        try {
            this.resident = solver.upload(problems.inputs(), problems.observations());
        } catch (RuntimeException e) {
            solver.close();
            throw e;
        }
    }

    @Override
    public void lossAndGradient(int[] rows, double[] xi, double[] loss, double[] gradient) {
        resident.lossAndGradient(rows, xi, loss, gradient, null);
        for (int j = 0; j < rows.length; j++) {
            if (loss[j] == Double.POSITIVE_INFINITY) loss[j] = KsProblems.DIVERGED_LOSS;
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
        if (allOnDevice == null) allOnDevice = resident.allOnDevice();
        return new CudaKsLoss(backend, allOnDevice, bounds, KsProblems.DIVERGED_LOSS);
    }

    @Override
    public void close() {
        if (allOnDevice != null) allOnDevice.close();
        allOnDevice = null;
        resident.close();
        solver.close();
    }
}
