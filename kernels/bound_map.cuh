// The bound map of dev.reparam.inverse.Bounds on the device, shared by every kernel that turns a
// network's unconstrained output z into physical parameters xi and a gradient in xi back into one
// in z (UnconstrainedObjective's arithmetic): xi = mid + half tanh(z) on a bounded dimension,
// xi = z on an unbounded one; d xi / d z = half (1 - tanh(z)^2), or 1. Double arithmetic for
// every dtype, as the host does it.
#pragma once

struct BoundMap {
    double mid, half;
    bool bounded;

    // th = tanh(z), computed once by the caller, which usually needs it for the Jacobian too
    __device__ double physical(double z, double th) const { return bounded ? mid + half * th : z; }
    __device__ double jacobian(double th) const { return bounded ? half * (1.0 - th * th) : 1.0; }
};

// Dimension j of d from the packed layout DeviceBoundMap uploads: [mid[d], half[d], bounded[d]]
// (bounded as 1.0 / 0.0).
__device__ inline BoundMap bound_map_of(const double* packed, int d, int j) {
    return BoundMap{packed[j], packed[d + j], packed[2 * d + j] != 0.0};
}
