// Shared by the Navier-Stokes kernel families (ns_*.cu): the MAC-grid layout of
// dev.reparam.sim.ns.MacGrid, the bilinear stencil of Bilinear.java, and the per-problem
// block decomposition of the cell kernels.
//
// Layout, per problem (state index = problem * size + face):
//   u(i, j), i in [0, W], j in [0, H), at (i, j + 1/2): face j (W + 1) + i
//   v(i, j), i in [0, W), j in [0, H], at (i + 1/2, j): face uSize + j W + i, uSize = (W + 1) H
// Cells (i, j) at index j W + i; cell arrays are problem * cells + cell.
// `open` is one int per face, shared by every problem (1 when both cells beside it are fluid).
#pragma once
#include "common.cuh"

struct NsGrid {
    int w, h;
    __device__ int uSize() const { return (w + 1) * h; }
    __device__ int size() const { return (w + 1) * h + w * (h + 1); }
    __device__ int cells() const { return w * h; }
    __device__ int u(int i, int j) const { return j * (w + 1) + i; }
    __device__ int v(int i, int j) const { return uSize() + j * w + i; }
};

// Bilinear.at: coordinates in the component's index space (fx column, fy row), clamped to the
// sample range [0, nx - 1] x [0, ny - 1]; i0, j0 local to the component; the clamp flags make the
// slope zero, as in Bilinear.dx/dy. Arithmetic is written in Java's evaluation order.
template <typename T>
struct Stencil {
    int i0, j0, nx;
    T tx, ty;
    bool clampedX, clampedY;

    __device__ void at(int nx_, int ny, T fx, T fy) {
        nx = nx_;
        clampedX = !(fx > T(0) && fx < T(nx - 1));
        clampedY = !(fy > T(0) && fy < T(ny - 1));
        fx = fx < T(0) ? T(0) : (fx > T(nx - 1) ? T(nx - 1) : fx);
        fy = fy < T(0) ? T(0) : (fy > T(ny - 1) ? T(ny - 1) : fy);
        i0 = min((int)fx, nx - 2);
        j0 = min((int)fy, ny - 2);
        tx = fx - T(i0);
        ty = fy - T(j0);
    }

    // weight of sample (i0 + di, j0 + dj), di, dj in {0, 1}: Bilinear's w00, w10, w01, w11
    __device__ T weight(int di, int dj) const {
        return (di ? tx : T(1) - tx) * (dj ? ty : T(1) - ty);
    }

    // a points at the component's first value
    __device__ T value(const T* a) const {
        const T* p = a + j0 * nx + i0;
        return weight(0, 0) * p[0] + weight(1, 0) * p[1] + weight(0, 1) * p[nx] + weight(1, 1) * p[nx + 1];
    }

    __device__ T dx(const T* a) const {
        if (clampedX) return T(0);
        const T* p = a + j0 * nx + i0;
        return (T(1) - ty) * (p[1] - p[0]) + ty * (p[nx + 1] - p[nx]);
    }

    __device__ T dy(const T* a) const {
        if (clampedY) return T(0);
        const T* p = a + j0 * nx + i0;
        return (T(1) - tx) * (p[nx] - p[0]) + tx * (p[nx + 1] - p[1]);
    }
};

// Advection.sampleU / sampleV: a physical point (x, y) in u's and v's index space.
template <typename T>
__device__ Stencil<T> sample_u(const NsGrid& g, T x, T y) {
    Stencil<T> s;
    s.at(g.w + 1, g.h, x, y - T(0.5));
    return s;
}

template <typename T>
__device__ Stencil<T> sample_v(const NsGrid& g, T x, T y) {
    Stencil<T> s;
    s.at(g.w, g.h + 1, x - T(0.5), y);
    return s;
}

// Cell kernels run one thread per cell, blocks of BLOCK_THREADS cells that never straddle two
// problems: block b is chunk b % chunks of problem b / chunks, chunks = ceil(cells / BLOCK_THREADS)
// (NsGeometry.chunks on the Java side). Per-problem sums are then two fixed-order steps: a block
// tree per chunk (one double partial at partials[problem * chunks + chunk]) and problem_sum.
struct CellBlock {
    int problem, chunk, cell;  // cell may be >= cells in the last chunk: then the thread only pads the tree
};

__device__ inline CellBlock cell_block(int cells, int chunks) {
    CellBlock b;
    b.problem = blockIdx.x / chunks;
    b.chunk = blockIdx.x % chunks;
    b.cell = b.chunk * BLOCK_THREADS + threadIdx.x;
    return b;
}

// Sum of problem p's chunk partials in a fixed order: lane l adds partials l, l + 32, ... in
// order, then a fixed shuffle tree. Every thread of the block gets the same value (via shared
// memory), so all blocks of one problem that call it agree bit for bit.
__device__ inline double problem_sum(const double* partials, int problem, int chunks) {
    __shared__ double result;
    __syncthreads();  // `result` may still be read from a previous call
    if (threadIdx.x < 32) {
        double s = 0.0;
        for (int c = threadIdx.x; c < chunks; c += 32) s += partials[(long long)problem * chunks + c];
        for (int off = 16; off > 0; off >>= 1) s += __shfl_down_sync(0xffffffffu, s, off);
        if (threadIdx.x == 0) result = s;
    }
    __syncthreads();
    return result;
}

// Block tree of one value per thread into partials[problem * chunks + chunk]; every thread calls it.
__device__ inline void block_partial(double value, double* sh, double* partials, const CellBlock& b, int chunks) {
    sh[threadIdx.x] = value;
    __syncthreads();
    block_tree_sum(sh);
    if (threadIdx.x == 0) partials[(long long)b.problem * chunks + b.chunk] = sh[0];
    __syncthreads();  // sh is reused by the caller's next partial
}
