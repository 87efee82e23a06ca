package dev.reparam.sim.billiards.cuda;

import dev.reparam.cuda.CudaBackend;
import dev.reparam.inverse.DeviceLossProblems;
import dev.reparam.inverse.DevicePlacement;
import dev.reparam.inverse.PlacedProblems;
import dev.reparam.sim.billiards.BilliardsProblems;

/**
 * Billiards problems on CUDA: every problem's loss in one launch ({@link CudaBilliardsLoss}), in the backend's dtype.
 */
public final class BilliardsOnCuda extends DevicePlacement<BilliardsProblems, CudaBackend> {
    public BilliardsOnCuda() {
        super(BilliardsProblems.class, CudaBackend.class);
    }

    @Override
    protected PlacedProblems place(BilliardsProblems problems, CudaBackend cuda) {
        double[] balls = problems.inputs(), targets = problems.observations();
        return new DeviceLossProblems(problems, cuda, bounds -> new CudaBilliardsLoss(cuda, balls, targets, bounds));
    }
}
