// Fully connected layer (reference: CpuDense). All three products are one tiled GEMM template,
// C[M,N] = init + sum_k A(m,k) B(k,n), where A and B are read through strides so that the
// transposes (W^T, dy^T) need no copies. Each output element is computed by one thread summing
// k in increasing order, so results are deterministic and need no atomics.
#include "common.cuh"

// Launched with BLOCK_THREADS = TILE * TILE threads and ceil(M/TILE) * ceil(N/TILE) blocks
// (1-D grid, tile row-major): thread (ty, tx) of the block computes C[tileRow + ty, tileCol + tx].
#define TILE 16
static_assert(TILE * TILE == BLOCK_THREADS, "one thread per tile element");

// A(m,k) = a[m * sam + k * sak], B(k,n) = b[k * sbk + n * sbn], C(m,n) = c[m * N + n].
// ACCUMULATE: C += product (the backward passes); otherwise C = bias[n] (or 0) + product.
template <typename T, bool ACCUMULATE>
__device__ void gemm_tiled(const T* a, long long sam, long long sak, const T* b, long long sbk, long long sbn,
                           const T* bias, T* c, int M, int N, int K) {
    // +1 column so that the transposed reads of a tile do not hit the same shared-memory bank
    __shared__ T as[TILE][TILE + 1];
    __shared__ T bs[TILE][TILE + 1];
    const int tilesN = (N + TILE - 1) / TILE;
    const int ty = threadIdx.x / TILE, tx = threadIdx.x % TILE;
    const int m = (blockIdx.x / tilesN) * TILE + ty;
    const int n = (blockIdx.x % tilesN) * TILE + tx;
    T s = (!ACCUMULATE && bias != nullptr && n < N) ? bias[n] : T(0);
    for (int k0 = 0; k0 < K; k0 += TILE) {
        // the block loads A[tile rows, k0..k0+TILE) and B[k0..k0+TILE, tile cols), zero outside
        const int am = (blockIdx.x / tilesN) * TILE + ty, ak = k0 + tx;
        as[ty][tx] = (am < M && ak < K) ? a[am * sam + ak * sak] : T(0);
        const int bk = k0 + ty, bn = (blockIdx.x % tilesN) * TILE + tx;
        bs[ty][tx] = (bk < K && bn < N) ? b[bk * sbk + bn * sbn] : T(0);
        __syncthreads();
        const int kEnd = min(TILE, K - k0);
        for (int kk = 0; kk < kEnd; kk++) s += as[ty][kk] * bs[kk][tx];
        __syncthreads();
    }
    if (m < M && n < N) {
        if (ACCUMULATE) c[(long long)m * N + n] += s;
        else c[(long long)m * N + n] = s;
    }
}

// db[o] += sum over the batch of dy[n, o], one thread per o summing n in order.
template <typename T>
__device__ void linear_bias_grad(const T* dy, T* db, int batch, int out) {
    FOR_EACH_INDEX(o, out) {
        T s = T(0);
        for (int n = 0; n < batch; n++) s += dy[(long long)n * out + o];
        db[o] += s;
    }
}

// y[n, o] = b[o] (0 when b is null) for every row: the bias that cuBLAS's GEMM then adds to (beta = 1).
template <typename T>
__device__ void bias_rows(const T* b, T* y, int batch, int out) {
    FOR_EACH_INDEX(i, (long long)batch * out) y[i] = b != nullptr ? b[i % out] : T(0);
}

#define DENSE_KERNELS(T, SUF)                                                                              \
    /* y[B,Out] = x[B,In] W[Out,In]^T + b[Out] (b may be null) */                                         \
    __global__ void __launch_bounds__(BLOCK_THREADS)                                                      \
        linear_forward_##SUF(const T* x, const T* w, const T* b, T* y, int batch, int in, int out) {      \
        gemm_tiled<T, false>(x, in, 1, w, 1, in, b, y, batch, out, in);                                   \
    }                                                                                                     \
    /* dx[B,In] += dy[B,Out] W[Out,In] */                                                                 \
    __global__ void __launch_bounds__(BLOCK_THREADS)                                                      \
        linear_backward_input_##SUF(const T* dy, const T* w, T* dx, int batch, int in, int out) {         \
        gemm_tiled<T, true>(dy, out, 1, w, in, 1, nullptr, dx, batch, in, out);                           \
    }                                                                                                     \
    /* dW[Out,In] += dy[B,Out]^T x[B,In] */                                                               \
    __global__ void __launch_bounds__(BLOCK_THREADS)                                                      \
        linear_backward_weight_##SUF(const T* dy, const T* x, T* dw, int batch, int in, int out) {        \
        gemm_tiled<T, true>(dy, 1, out, x, in, 1, nullptr, dw, out, in, batch);                           \
    }                                                                                                     \
    __global__ void linear_backward_bias_##SUF(const T* dy, T* db, int batch, int out) {                  \
        linear_bias_grad(dy, db, batch, out);                                                             \
    }                                                                                                     \
    __global__ void linear_bias_rows_##SUF(const T* b, T* y, int batch, int out) {                        \
        bias_rows(b, y, batch, out);                                                                      \
    }

extern "C" {
DENSE_KERNELS(double, f64)
DENSE_KERNELS(float, f32)
}
