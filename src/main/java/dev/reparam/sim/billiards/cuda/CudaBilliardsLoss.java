package dev.reparam.sim.billiards.cuda;

import dev.reparam.cuda.CudaBackend;
import dev.reparam.cuda.CudaStorage;
import dev.reparam.cuda.DeviceBoundMap;
import dev.reparam.cuda.DeviceLossChain;
import dev.reparam.cuda.Kernel;
import dev.reparam.sim.billiards.Billiards;
import dev.reparam.tensor.Bounds;
import dev.reparam.tensor.DeviceLoss;
import dev.reparam.tensor.Tensor;

/**
 * The billiards problems' losses on the GPU (kernels/billiards/billiards.cu): from the network output
 * z[n, 2], each problem's squared distance between the hit ball's rest position and its target and
 * the gradient in z (exactly 0 on a miss), the bound map fused in, one launch forward and
 * {@code row_scale_accumulate} backward. Ball positions, targets (float64) and the packed bounds
 * ({@link DeviceBoundMap}) go up once, here; nothing is allocated or copied per evaluation, so a
 * reparameterized iteration with it can be captured as a CUDA graph. Reference: Billiards.lossAndGradient
 * behind UnconstrainedObjective.
 */
public final class CudaBilliardsLoss extends DeviceLoss {
    private final CudaBackend backend;
    private final DeviceBoundMap bounds;
    private final CudaStorage positions, targets;
    private final int problems;

    /**
     * {@code ballPositions} and {@code targets} are [n, 2], row-major; {@code bounds} has two dimensions (v0x, v0y).
     */
    public CudaBilliardsLoss(CudaBackend backend, double[] ballPositions, double[] targets, Bounds bounds) {
        if (bounds.dim() != 2) {
            throw new IllegalArgumentException("billiards has two unknowns (v0x, v0y), bounds give " + bounds.dim());
        }
        if (targets.length % 2 != 0 || ballPositions.length != targets.length) {
            throw new IllegalArgumentException("billiards on the device: " + ballPositions.length
                    + " ball position values for " + targets.length + " target values, both must be [n, 2]");
        }
        this.backend = backend;
        this.problems = targets.length / 2;
        this.bounds = new DeviceBoundMap(backend, bounds);
        this.positions = upload(backend, ballPositions);
        this.targets = upload(backend, targets);
    }

    private static CudaStorage upload(CudaBackend backend, double[] values) {
        CudaStorage s = backend.longLivedF64(Math.max(1, values.length));
        if (values.length > 0) backend.writeF64(values, s);
        return s;
    }

    @Override
    public void evaluate(Tensor z, Tensor loss, Tensor gradZ) {
        if (z.size() != 2 * problems || loss.size() != problems || gradZ.size() != 2 * problems) {
            throw new IllegalArgumentException("billiards loss on the device: z " + z + ", loss " + loss
                    + ", gradient " + gradZ + " for " + problems + " problems of 2 unknowns");
        }
        if (problems == 0) return;
        String table = "f64[" + problems + " x 2]";
        backend.elementwise(Kernel.BILLIARDS_LOSS, problems, backend.args().tensor("z", z)
                .pointer("bounds", bounds.packed(), bounds.describe()).pointer("q", positions.at(0), table)
                .pointer("y", targets.at(0), table).tensor("loss", loss).tensor("gradZ", gradZ).i32("n", problems)
                .f64("radius", Billiards.RADIUS).f64("gamma", Billiards.GAMMA).f64("restitution", Billiards.RESTITUTION)
                .f64("cueX", Billiards.CUE_X).f64("cueY", Billiards.CUE_Y));
    }

    @Override
    public void chain(Tensor upstream, Tensor gradZ, Tensor dz) {
        DeviceLossChain.accumulate(backend, upstream, gradZ, dz);
    }
}
