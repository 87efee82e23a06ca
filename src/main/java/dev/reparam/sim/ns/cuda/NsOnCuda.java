package dev.reparam.sim.ns.cuda;

import dev.reparam.cuda.CudaBackend;
import dev.reparam.inverse.DevicePlacement;
import dev.reparam.inverse.PlacedProblems;
import dev.reparam.sim.ns.NsProblems;

/** Navier-Stokes problems on CUDA ({@link CudaNsProblems}): BFGS's rows and the networks' batch on the device. */
public final class NsOnCuda extends DevicePlacement<NsProblems, CudaBackend> {
    public NsOnCuda() {
        super(NsProblems.class, CudaBackend.class);
    }

    @Override
    protected PlacedProblems place(NsProblems problems, CudaBackend cuda) {
        return new CudaNsProblems(problems, cuda);
    }
}
