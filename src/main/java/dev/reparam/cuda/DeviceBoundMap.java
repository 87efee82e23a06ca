package dev.reparam.cuda;

import dev.reparam.tensor.Bounds;
import dev.reparam.tensor.Tensor;
import jcuda.driver.CUdeviceptr;

/**
 * A problem set's bounds on the device (kernels/bound_map.cu), for device solvers that work in
 * the physical parameters xi: {@link #toPhysical} maps the network output z into the solver's
 * parameter buffer, {@link #finish} turns the solver's loss and gradient in xi into what a
 * {@link dev.reparam.tensor.BatchedLoss} hands back, with UnconstrainedObjective's arithmetic
 * (double, for every dtype). The bounds go up once, here; both calls only queue a launch on the
 * backend's stream, so they can be captured in a graph.
 */
public final class DeviceBoundMap {
    private final CudaBackend backend;
    private final int dim;
    /** [mid[dim], half[dim], bounded[dim]] (1.0 / 0.0), the layout of bound_map.cuh. */
    private final CudaStorage packed;

    public DeviceBoundMap(CudaBackend backend, Bounds bounds) {
        this.backend = backend;
        this.dim = bounds.dim();
        double[] values = new double[3 * dim];
        double[] mid = bounds.mid(), half = bounds.half();
        for (int d = 0; d < dim; d++) {
            values[d] = mid[d];
            values[dim + d] = half[d];
            values[2 * dim + d] = bounds.isBounded(d) ? 1.0 : 0.0;
        }
        this.packed = backend.longLivedF64(values.length);
        backend.writeF64(values, packed);
    }

    public int dim() { return dim; }

    /** The packed array on the device, for kernels of this package that apply the map themselves. */
    public CUdeviceptr packed() { return packed.at(0); }

    /** xi[0, z.size()) = the bound map of z[rows, dim]; xi is in the backend's dtype. */
    public void toPhysical(Tensor z, DeviceBuffer xi) {
        check(z, xi.length() >= z.size() && xi.dtype() == backend.dtype(), "parameter buffer " + xi);
        int n = z.size();
        if (n == 0) return;
        backend.elementwise(Kernel.BOUND_MAP_FORWARD, n, backend.args().tensor("z", z)
                .pointer("bounds", packed.at(0), describe()).pointer("xi", xi.pointer(), xi.toString())
                .i32("n", n).i32("d", dim));
    }

    /**
     * loss[r] = lossXi[r] (+infinity replaced by {@code infiniteLoss}) and gradZ = gradXi times
     * d xi / d z at z, for the rows of z; lossXi and gradXi are float64 buffers of at least as
     * many values.
     */
    public void finish(Tensor z, DeviceBuffer lossXi, DeviceBuffer gradXi, double infiniteLoss, Tensor loss,
            Tensor gradZ) {
        int n = z.size(), rows = n / dim;
        check(z, gradZ.size() == n && loss.size() == rows && lossXi.length() >= rows && gradXi.length() >= n
                && lossXi.dtype() == CudaDtype.FLOAT64 && gradXi.dtype() == CudaDtype.FLOAT64,
                "loss " + loss + ", gradient " + gradZ + " from " + lossXi + " and " + gradXi);
        if (n == 0) return;
        backend.elementwise(Kernel.BOUND_MAP_FINISH, n, backend.args().tensor("z", z)
                .pointer("lossXi", lossXi.pointer(), lossXi.toString())
                .pointer("gradXi", gradXi.pointer(), gradXi.toString())
                .pointer("bounds", packed.at(0), describe()).tensor("loss", loss).tensor("gradZ", gradZ)
                .i32("n", n).i32("d", dim).f64("infiniteLoss", infiniteLoss));
    }

    private void check(Tensor z, boolean ok, String what) {
        if (z.size() % dim != 0 || !ok) {
            throw new IllegalArgumentException("bound map of " + dim + " dimensions on the device: z " + z + ", "
                    + what);
        }
    }

    public String describe() {
        return "f64[3 x " + dim + "]";
    }
}
