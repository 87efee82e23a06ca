package dev.reparam.sim.ks.cuda;

import dev.reparam.cuda.CudaBackend;
import dev.reparam.inverse.DevicePlacement;
import dev.reparam.inverse.PlacedProblems;
import dev.reparam.sim.ks.KsProblems;

/**
 * Kuramoto-Sivashinsky problems on CUDA ({@link CudaKsProblems}): BFGS's rows and the networks' batch on the device.
 */
public final class KsOnCuda extends DevicePlacement<KsProblems, CudaBackend> {
    public KsOnCuda() {
        super(KsProblems.class, CudaBackend.class);
    }

    @Override
    protected PlacedProblems place(KsProblems problems, CudaBackend cuda) {
        return new CudaKsProblems(problems, cuda);
    }
}
