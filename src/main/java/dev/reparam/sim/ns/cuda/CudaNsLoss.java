package dev.reparam.sim.ns.cuda;

import dev.reparam.cuda.CudaBackend;
import dev.reparam.cuda.DeviceBoundMap;
import dev.reparam.cuda.DeviceBuffer;
import dev.reparam.cuda.DeviceLossChain;
import dev.reparam.cuda.IntDeviceBuffer;
import dev.reparam.tensor.Bounds;
import dev.reparam.tensor.DeviceLoss;
import dev.reparam.tensor.Tensor;

/**
 * The Navier-Stokes problems' losses from the network output z[n, 3] on the GPU, with z, the
 * losses and the gradients never going through the host: per batch of at most the solver's
 * capacity, the bound map writes (x0, v0x, v0y) into the solver's parameter buffer, the device
 * rollout and adjoint ({@link CudaNavierStokes#queueLossAndGradient}) evaluate the batch's
 * problems, and the bound map's finish writes the batch's losses and gradient in z (views of the
 * outputs); {@code row_scale_accumulate} backward. The row indices of every batch are on the device
 * already (the problem set uploads them once); nothing is allocated per evaluation.
 *
 * <p>Not capturable ({@link #capturable} is false): the projection's CG reads its per-problem done
 * flags back every few iterations to stop (DeviceProjection), a synchronisation a CUDA graph cannot
 * hold. The iteration then runs eagerly, still without copying z or the losses. Reference:
 * NsProblems.lossAndGradient behind UnconstrainedObjective (to about the CG tolerance: the device
 * preconditions CG differently, docs/ns.md).
 */
public final class CudaNsLoss extends DeviceLoss {
    private final CudaBackend backend;
    private final CudaNavierStokes solver;
    private final DeviceBoundMap bounds;
    private final DeviceBuffer initials, observations;
    private final IntDeviceBuffer[] batchRows;
    private final int problems;

    /**
     * {@code solver} uses {@code backend}'s kernels (so its stream) and dtype; {@code initials} and
     * {@code observations} hold all problems; {@code batchRows[b]} holds rows [b capacity, b capacity + k)
     * of batch b. All of them outlive this loss.
     */
    public CudaNsLoss(CudaBackend backend, CudaNavierStokes solver, DeviceBuffer initials, DeviceBuffer observations,
                      IntDeviceBuffer[] batchRows, int problems, Bounds bounds) {
        if (bounds.dim() != 3) {
            throw new IllegalArgumentException("Navier-Stokes has three unknowns (x0, v0x, v0y), bounds give "
                    + bounds.dim());
        }
        if (solver.dtype() != backend.dtype()) {
            throw new IllegalArgumentException("Navier-Stokes solver in " + solver.dtype().suffix() + " on a "
                    + backend.dtype().suffix() + " backend");
        }
        int cap = solver.capacity();
        if (batchRows.length != (problems + cap - 1) / cap) {
            throw new IllegalArgumentException(batchRows.length + " row batches for " + problems
                    + " problems in batches of " + cap);
        }
        this.backend = backend;
        this.solver = solver;
        this.initials = initials;
        this.observations = observations;
        this.batchRows = batchRows;
        this.problems = problems;
        this.bounds = new DeviceBoundMap(backend, bounds);
    }

    @Override
    public void evaluate(Tensor z, Tensor loss, Tensor gradZ) {
        if (z.size() != 3 * problems || loss.size() != problems || gradZ.size() != 3 * problems) {
            throw new IllegalArgumentException("Navier-Stokes loss on the device: z " + z + ", loss " + loss
                    + ", gradient " + gradZ + " for " + problems + " problems of 3 unknowns");
        }
        int cap = solver.capacity();
        for (int b = 0; b < batchRows.length; b++) {
            int start = b * cap, k = Math.min(cap, problems - start);
            Tensor zb = z.view(3 * start, k, 3);
            bounds.toPhysical(zb, solver.parameters());
            solver.queueLossAndGradient(batchRows[b], k, initials, observations);
            // NsProblems has no infinite loss to replace: +infinity stays +infinity
            bounds.finish(zb, solver.losses(), solver.gradients(), Double.POSITIVE_INFINITY, loss.view(start, k),
                    gradZ.view(3 * start, k, 3));
        }
    }

    @Override
    public void chain(Tensor upstream, Tensor gradZ, Tensor dz) {
        DeviceLossChain.accumulate(backend, upstream, gradZ, dz);
    }

    /** False: the CG's done flags are read back during {@link #evaluate} (see the class comment). */
    @Override
    public boolean capturable() {
        return false;
    }
}
