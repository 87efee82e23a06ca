// Deterministic whole-tensor reductions (Backend.sum, sumOfSquares) in two passes:
//   1. *_partials: block b sums its grid-stride share of x into partials[b] by a fixed tree;
//   2. reduce_partials_f64: one block sums partials[0..count) into out[0], again by a fixed tree.
// The grid size is chosen by the host from n alone (LaunchGeometry.reductionBlocks), so the same
// input gives bit-identical results on every run and device of the same architecture. Partials
// are double for float32 input too: the Backend returns a double, and float accumulation over
// millions of elements would lose the 1e-4 parity.
#include "common.cuh"

template <typename T, bool SQUARE>
__device__ void partials(const T* x, int n, double* partials) {
    __shared__ double sh[BLOCK_THREADS];
    double s = 0.0;
    FOR_EACH_INDEX(i, n) {
        double xi = (double)x[i];
        s += SQUARE ? xi * xi : xi;
    }
    sh[threadIdx.x] = s;
    __syncthreads();
    block_tree_sum(sh);
    if (threadIdx.x == 0) partials[blockIdx.x] = sh[0];
}

extern "C" {
__global__ void __launch_bounds__(BLOCK_THREADS) sum_partials_f64(const double* x, int n, double* p) {
    partials<double, false>(x, n, p);
}
__global__ void __launch_bounds__(BLOCK_THREADS) sum_partials_f32(const float* x, int n, double* p) {
    partials<float, false>(x, n, p);
}
__global__ void __launch_bounds__(BLOCK_THREADS) sum_of_squares_partials_f64(const double* x, int n, double* p) {
    partials<double, true>(x, n, p);
}
__global__ void __launch_bounds__(BLOCK_THREADS) sum_of_squares_partials_f32(const float* x, int n, double* p) {
    partials<float, true>(x, n, p);
}

// Launched as one block of BLOCK_THREADS threads.
__global__ void __launch_bounds__(BLOCK_THREADS) reduce_partials_f64(const double* partials, int count, double* out) {
    __shared__ double sh[BLOCK_THREADS];
    double s = 0.0;
    for (int i = threadIdx.x; i < count; i += BLOCK_THREADS) s += partials[i];
    sh[threadIdx.x] = s;
    __syncthreads();
    block_tree_sum(sh);
    if (threadIdx.x == 0) out[0] = sh[0];
}
}
