package dev.reparam.sim.ns.cuda;

import dev.reparam.cuda.DeviceBuffer;
import dev.reparam.sim.ns.MacGrid;

/** One batched step on the device, advection then viscosity then projection, and its VJP (FluidStep on the CPU). */
final class DeviceFluidStep {
    final DeviceAdvection advection;
    final DeviceProjection projection;
    private final NsKernels k;
    private final double c;
    private final DeviceBuffer t1, t2;

    DeviceFluidStep(NsKernels kernels, DeviceArena arena, MacGrid grid, double dt, double nu, double cgTolerance,
                    CgPreconditioner preconditioner, int capacity) {
        this.k = kernels;
        this.c = dt * nu;
        this.advection = new DeviceAdvection(kernels, arena, dt, capacity);
        this.projection = new DeviceProjection(kernels, arena, grid, cgTolerance, preconditioner, capacity);
        long faces = (long) capacity * kernels.geometry().size;
        t1 = arena.values(faces, kernels.dtype());
        t2 = arena.values(faces, kernels.dtype());
    }

    /** out = step(s) for problems [0, n); out must not be s. */
    void forward(DeviceBuffer s, DeviceBuffer out, int n) {
        advection.forward(s, t1, n);
        k.viscosity(t1, t2, c, false, n);
        projection.apply(t2, out, n);
    }

    /** sBar = (d step / d s)^T outBar at s; the projection is its own transpose, viscosity's is (I + c L) M. */
    void adjoint(DeviceBuffer s, DeviceBuffer outBar, DeviceBuffer sBar, int n) {
        projection.apply(outBar, t1, n);
        k.viscosity(t1, t2, c, true, n);
        advection.adjoint(s, t2, sBar, n);
    }

    /** out = P a, for tests. */
    void project(DeviceBuffer a, DeviceBuffer out, int n) {
        projection.apply(a, out, n);
    }
}
