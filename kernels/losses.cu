// Row-wise mean squared error and its backward pass (reference: CpuBackend.rowMeanSquaredError).
#include "common.cuh"

// loss[r] = mean over k of (a[r, k] - b[r, k])^2. One block per row, launched with
// BLOCK_THREADS threads and gridDim.x = rows; a fixed tree makes the sum deterministic.
template <typename T>
__device__ void row_mse_forward(const T* a, const T* b, T* loss, int m) {
    __shared__ T sh[BLOCK_THREADS];
    const long long row = (long long)blockIdx.x * m;
    T s = T(0);
    for (int k = threadIdx.x; k < m; k += BLOCK_THREADS) {
        T e = a[row + k] - b[row + k];
        s += e * e;
    }
    sh[threadIdx.x] = s;
    __syncthreads();
    block_tree_sum(sh);
    if (threadIdx.x == 0) loss[blockIdx.x] = sh[0] / T(m);
}

// da[r, k] += dloss[r] * 2 (a - b) / m, elementwise over all rows * m entries.
template <typename T>
__device__ void row_mse_backward(const T* a, const T* b, const T* dloss, T* da, int n, int m) {
    FOR_EACH_INDEX(i, n) {
        T c = T(2) * dloss[i / m] / T(m);
        da[i] += c * (a[i] - b[i]);
    }
}

extern "C" {
__global__ void __launch_bounds__(BLOCK_THREADS) row_mse_forward_f64(const double* a, const double* b, double* loss, int m) {
    row_mse_forward(a, b, loss, m);
}
__global__ void __launch_bounds__(BLOCK_THREADS) row_mse_forward_f32(const float* a, const float* b, float* loss, int m) {
    row_mse_forward(a, b, loss, m);
}
__global__ void row_mse_backward_f64(const double* a, const double* b, const double* dloss, double* da, int n, int m) {
    row_mse_backward(a, b, dloss, da, n, m);
}
__global__ void row_mse_backward_f32(const float* a, const float* b, const float* dloss, float* da, int n, int m) {
    row_mse_backward(a, b, dloss, da, n, m);
}
}
