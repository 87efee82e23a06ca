package dev.reparam.sim.ks.cuda;

import dev.reparam.cuda.CudaBackend;
import dev.reparam.cuda.DeviceBoundMap;
import dev.reparam.cuda.DeviceLossChain;
import dev.reparam.tensor.Bounds;
import dev.reparam.tensor.DeviceLoss;
import dev.reparam.tensor.Tensor;

/**
 * The Kuramoto-Sivashinsky problems' losses from the network output z on the GPU, with nothing
 * going through the host: the bound map writes (alpha, beta) into the solver's parameter buffer,
 * ks_forward and ks_adjoint evaluate every problem, and the bound map's finish writes the losses
 * (+infinity, a diverged problem, becomes {@code divergedLoss}) and the gradient in z. Four
 * launches, no copy, no allocation: a reparameterized iteration with it is captured as a CUDA
 * graph. Reference: KsProblems.lossAndGradient behind UnconstrainedObjective.
 */
public final class CudaKsLoss extends DeviceLoss {
    private final CudaBackend backend;
    private final CudaKuramotoSivashinsky.AllOnDevice solver;
    private final DeviceBoundMap bounds;
    private final double divergedLoss;

    /** {@code solver} must use {@code backend}'s context, stream and dtype; it outlives this loss. */
    public CudaKsLoss(CudaBackend backend, CudaKuramotoSivashinsky.AllOnDevice solver, Bounds bounds,
            double divergedLoss) {
        if (bounds.dim() != 2) {
            throw new IllegalArgumentException("Kuramoto-Sivashinsky has two unknowns (alpha, beta), bounds give "
                    + bounds.dim());
        }
        if (solver.params().dtype() != backend.dtype()) {
            throw new IllegalArgumentException("Kuramoto-Sivashinsky solver in " + solver.params().dtype().suffix()
                    + " on a " + backend.dtype().suffix() + " backend");
        }
        this.backend = backend;
        this.solver = solver;
        this.bounds = new DeviceBoundMap(backend, bounds);
        this.divergedLoss = divergedLoss;
    }

    @Override
    public void evaluate(Tensor z, Tensor loss, Tensor gradZ) {
        int n = solver.size();
        if (z.size() != 2 * n || loss.size() != n || gradZ.size() != 2 * n) {
            throw new IllegalArgumentException("Kuramoto-Sivashinsky loss on the device: z " + z + ", loss " + loss
                    + ", gradient " + gradZ + " for " + n + " problems of 2 unknowns");
        }
        bounds.toPhysical(z, solver.params());
        solver.queue();
        bounds.finish(z, solver.loss(), solver.gradient(), divergedLoss, loss, gradZ);
    }

    @Override
    public void chain(Tensor upstream, Tensor gradZ, Tensor dz) {
        DeviceLossChain.accumulate(backend, upstream, gradZ, dz);
    }
}
