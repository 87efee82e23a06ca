package dev.reparam.sim.ns.cuda;

import dev.reparam.cuda.DeviceBuffer;
import dev.reparam.cuda.IntDeviceBuffer;

/**
 * Semi-Lagrangian advection of a batch on the device and its adjoint, the deterministic gather of
 * kernels/ns/ns_advection.cu: prepare (departure stencils and coefficients per target face), reach
 * (per problem, the largest integer distance between a face and its departure cell), gather (one
 * thread per source sample, no atomics).
 */
final class DeviceAdvection {
    private final NsKernels k;
    private final double dt;
    private final IntDeviceBuffer base, reach;
    private final DeviceBuffer coef;
    private int lastProblems;

    DeviceAdvection(NsKernels kernels, DeviceArena arena, double dt, int capacity) {
        this.k = kernels;
        this.dt = dt;
        long faces = (long) capacity * kernels.geometry().size;
        base = arena.ints(2 * faces);
        coef = arena.values(5 * faces, kernels.dtype());
        reach = arena.ints(capacity);
    }

    /** out = advect(s) for problems [0, n); out must not be s. */
    void forward(DeviceBuffer s, DeviceBuffer out, int n) {
        k.advectForward(s, out, dt, n);
    }

    /** sBar = (d advect / d s)^T outBar at s (overwritten, every face); sBar must be neither input. */
    void adjoint(DeviceBuffer s, DeviceBuffer outBar, DeviceBuffer sBar, int n) {
        k.advectAdjointPrepare(s, outBar, dt, n, base, coef);
        k.advectReach(base, reach, n);
        k.advectAdjointGather(base, coef, reach, n, sBar);
        lastProblems = n;
    }

    /** Per-problem reach of the last adjoint (gather window half-width minus one), for tests and tuning. */
    int[] lastReach() {
        return reach.download(lastProblems);
    }
}
