package dev.reparam.sim.wavepacket.cuda;

import dev.reparam.cuda.CudaBackend;
import dev.reparam.inverse.DeviceLossProblems;
import dev.reparam.inverse.DevicePlacement;
import dev.reparam.inverse.PlacedProblems;
import dev.reparam.sim.wavepacket.WavePacketProblems;

/**
 * Wave-packet problems on CUDA: every problem's loss in one launch ({@link CudaWavePacketLoss}), in the backend's
 * dtype.
 */
public final class WavePacketOnCuda extends DevicePlacement<WavePacketProblems, CudaBackend> {
    public WavePacketOnCuda() {
        super(WavePacketProblems.class, CudaBackend.class);
    }

    @Override
    protected PlacedProblems place(WavePacketProblems problems, CudaBackend cuda) {
        double[] observations = problems.observations();
        return new DeviceLossProblems(problems, cuda, bounds -> new CudaWavePacketLoss(cuda, observations, bounds));
    }
}
