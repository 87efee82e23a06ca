package dev.reparam.sim.wavepacket.cuda;

import dev.reparam.cuda.CudaBackend;
import dev.reparam.cuda.DeviceLossChain;
import dev.reparam.cuda.Kernel;
import dev.reparam.cuda.LaunchGeometry;
import dev.reparam.sim.wavepacket.WavePacket;
import dev.reparam.tensor.Bounds;
import dev.reparam.tensor.DeviceLoss;
import dev.reparam.tensor.Tensor;

/**
 * The wave packet problems' losses on the GPU (kernels/wavepacket/wavepacket.cu): from the network output
 * z[n, 1], the per-problem misfit and its gradient in z, bound map included, in one launch; the
 * observations are uploaded once, here. Reference: WavePacket.lossAndGradient behind
 * UnconstrainedObjective.
 */
public final class CudaWavePacketLoss extends DeviceLoss {
    private final CudaBackend backend;
    private final Tensor observations;
    private final int problems;
    private final double mid, half;
    private final boolean bounded;

    /** {@code observations} is [n, WavePacket.SAMPLES], row-major; {@code bounds} has one dimension (t0). */
    public CudaWavePacketLoss(CudaBackend backend, double[] observations, Bounds bounds) {
        if (bounds.dim() != 1) {
            throw new IllegalArgumentException("wave packet has one unknown (t0), bounds give " + bounds.dim());
        }
        if (observations.length % WavePacket.SAMPLES != 0) {
            throw new IllegalArgumentException(observations.length + " observation values are not [n, "
                    + WavePacket.SAMPLES + "]");
        }
        this.backend = backend;
        this.problems = observations.length / WavePacket.SAMPLES;
        this.observations = backend.longLived(problems, WavePacket.SAMPLES);
        backend.copyFromHost(observations, this.observations);
        this.mid = bounds.mid()[0];
        this.half = bounds.half()[0];
        this.bounded = bounds.isBounded(0);
    }

    @Override
    public void evaluate(Tensor z, Tensor loss, Tensor gradZ) {
        if (z.size() != problems || loss.size() != problems || gradZ.size() != problems) {
            throw new IllegalArgumentException("wave packet loss on the device: z " + z + ", loss " + loss
                    + ", gradient " + gradZ + " for " + problems + " problems");
        }
        if (problems == 0) return;
        // one block per problem; beyond the grid cap the kernel loops over problems
        backend.launch(Kernel.WAVE_PACKET_LOSS, Math.min(problems, LaunchGeometry.MAX_ELEMENTWISE_BLOCKS),
                backend.args().tensor("z", z).tensor("y", observations).tensor("loss", loss).tensor("gradZ", gradZ)
                        .i32("n", problems).i32("samples", WavePacket.SAMPLES).f64("mid", mid).f64("half", half)
                        .i32("bounded", bounded ? 1 : 0).f64("amplitude", WavePacket.AMPLITUDE)
                        .f64("invSigma2", 1.0 / (WavePacket.SIGMA * WavePacket.SIGMA)));
    }

    @Override
    public void chain(Tensor upstream, Tensor gradZ, Tensor dz) {
        DeviceLossChain.accumulate(backend, upstream, gradZ, dz);
    }
}
