package dev.reparam.cuda;

import dev.reparam.tensor.Bounds;
import dev.reparam.tensor.DeviceLoss;
import dev.reparam.tensor.Tensor;

/**
 * Supervised training's loss on the GPU (kernels/bound_map.cu, {@code parameter_error}): from the
 * network output z[m, dim] the per-example error e_j = sum_d ((xi_jd - truth_jd) / half_d)^2 and
 * its gradient in z, through the shared bound map, in one launch; the targets (float64) and the
 * bounds go up once, here. Reference: ParameterErrorOp's host path.
 */
final class CudaParameterError extends DeviceLoss {
    private final CudaBackend backend;
    private final DeviceBoundMap map;
    private final CudaStorage truth;
    private final int rows, dim;

    CudaParameterError(CudaBackend backend, Bounds bounds, double[] truth) {
        this.dim = bounds.dim();
        if (truth.length % dim != 0) {
            throw new IllegalArgumentException(truth.length + " target values are not rows of " + dim + " parameters");
        }
        this.backend = backend;
        this.map = new DeviceBoundMap(backend, bounds);
        this.rows = truth.length / dim;
        this.truth = backend.longLivedF64(truth.length);
        backend.writeF64(truth, this.truth);
    }

    @Override
    public void evaluate(Tensor z, Tensor loss, Tensor gradZ) {
        if (z.size() != rows * dim || loss.size() != rows || gradZ.size() != rows * dim) {
            throw new IllegalArgumentException("parameter error on the device: z " + z + ", loss " + loss
                    + ", gradient " + gradZ + " for " + rows + " examples of " + dim + " parameters");
        }
        if (rows == 0) return;
        backend.elementwise(Kernel.PARAMETER_ERROR, rows, backend.args().tensor("z", z)
                .pointer("truth", truth.at(0), "f64[" + rows * dim + "]")
                .pointer("bounds", map.packed(), map.describe())
                .tensor("e", loss).tensor("gradZ", gradZ).i32("rows", rows).i32("d", dim));
    }

    @Override
    public void chain(Tensor upstream, Tensor gradZ, Tensor dz) {
        DeviceLossChain.accumulate(backend, upstream, gradZ, dz);
    }
}
