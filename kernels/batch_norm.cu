// Batch normalisation over x viewed as [B, C, S] (reference: CpuBatchNorm). Training statistics
// and the backward pass run one block per channel (gridDim.x = C): the block's threads split the
// channel's B * S elements in a fixed stride and a fixed tree sums them, so results are
// deterministic. Sums are in double for float32 too, as the statistics of large batches need it.
// No __launch_bounds__: with it ptxas (CUDA 13) held these kernels to 32 registers and spilled.
#include "common.cuh"

// Offset of the p-th element (p < B S) of channel c.
__device__ __forceinline__ long long channel_index(long long p, int c, int ch, int s) {
    return ((p / s) * ch + c) * (long long)s + p % s;
}

// Sum over the channel's elements of f(index), by the block; every thread gets the total.
template <typename F>
__device__ double channel_sum(long long count, int c, int ch, int s, double* sh, F f) {
    double acc = 0.0;
    for (long long p = threadIdx.x; p < count; p += BLOCK_THREADS) acc += f(channel_index(p, c, ch, s));
    sh[threadIdx.x] = acc;
    __syncthreads();
    block_tree_sum(sh);
    const double total = sh[0];
    __syncthreads(); // sh is reused by the next sum
    return total;
}

// Batch statistics (biased variance, two passes), then y = (x - mean) * invStd * gamma + beta.
template <typename T>
__device__ void batch_norm_forward(const T* x, const T* gamma, const T* beta, double eps, T* y, T* mean, T* inv_std,
                                   int batch, int ch, int s) {
    __shared__ double sh[BLOCK_THREADS];
    const int c = blockIdx.x;
    const long long count = (long long)batch * s;
    const double mu = channel_sum(count, c, ch, s, sh, [&](long long i) { return (double)x[i]; }) / (double)count;
    const double var = channel_sum(count, c, ch, s, sh, [&](long long i) {
        const double e = (double)x[i] - mu;
        return e * e;
    }) / (double)count;
    const double inv = 1.0 / sqrt(var + eps);
    if (threadIdx.x == 0) {
        mean[c] = (T)mu;
        inv_std[c] = (T)inv;
    }
    const double scale = inv * (double)gamma[c], shift = (double)beta[c];
    for (long long p = threadIdx.x; p < count; p += BLOCK_THREADS) {
        const long long i = channel_index(p, c, ch, s);
        y[i] = (T)(((double)x[i] - mu) * scale + shift);
    }
}

// y = (x - mean) * gamma / sqrt(var + eps) + beta with given statistics; elementwise over B C S.
template <typename T>
__device__ void batch_norm_inference(const T* x, const T* gamma, const T* beta, const T* mean, const T* var,
                                     double eps, T* y, int batch, int ch, int s) {
    const long long total = (long long)batch * ch * s;
    FOR_EACH_INDEX(i, total) {
        const int c = (i / s) % ch;
        const double scale = (double)gamma[c] / sqrt((double)var[c] + eps);
        y[i] = (T)(((double)x[i] - (double)mean[c]) * scale + (double)beta[c]);
    }
}

// dgamma += sum dy xhat; dbeta += sum dy; dx += gamma invStd (dy - mean(dy) - xhat mean(dy xhat)).
// Any gradient pointer may be null.
template <typename T>
__device__ void batch_norm_backward(const T* x, const T* gamma, const T* mean, const T* inv_std, const T* dy,
                                    T* dx, T* dgamma, T* dbeta, int batch, int ch, int s) {
    __shared__ double sh[BLOCK_THREADS];
    const int c = blockIdx.x;
    const long long count = (long long)batch * s;
    const double mu = (double)mean[c], inv = (double)inv_std[c];
    const double sum_dy = channel_sum(count, c, ch, s, sh, [&](long long i) { return (double)dy[i]; });
    const double sum_dy_xhat = channel_sum(count, c, ch, s, sh, [&](long long i) {
        return (double)dy[i] * ((double)x[i] - mu) * inv;
    });
    if (threadIdx.x == 0) {
        if (dgamma != nullptr) dgamma[c] += (T)sum_dy_xhat;
        if (dbeta != nullptr) dbeta[c] += (T)sum_dy;
    }
    if (dx == nullptr) return;
    const double k = (double)gamma[c] * inv, mean_dy = sum_dy / (double)count, mean_dy_xhat = sum_dy_xhat / (double)count;
    for (long long p = threadIdx.x; p < count; p += BLOCK_THREADS) {
        const long long i = channel_index(p, c, ch, s);
        const double xhat = ((double)x[i] - mu) * inv;
        dx[i] += (T)(k * ((double)dy[i] - mean_dy - xhat * mean_dy_xhat));
    }
}

// The running statistics after a training step, elementwise over the C channels (reference: the
// host default of Backend.batchNormRunningUpdate, same operation order, in double):
// runningMean = (1 - momentum) runningMean + momentum mean, and runningVar likewise with the batch
// variance 1 / invStd^2 - eps made unbiased by count / (count - 1). On the device so that a
// training iteration reads nothing back to the host (and can be captured in a CUDA graph).
template <typename T>
__device__ void batch_norm_running_update(const T* mean, const T* inv_std, T* running_mean, T* running_var,
                                          double momentum, double eps, double unbias, int ch) {
    FOR_EACH_INDEX(c, ch) {
        const double inv = (double)inv_std[c];
        const double var = 1.0 / (inv * inv) - eps;
        running_mean[c] = (T)((1.0 - momentum) * (double)running_mean[c] + momentum * (double)mean[c]);
        running_var[c] = (T)((1.0 - momentum) * (double)running_var[c] + momentum * var * unbias);
    }
}

#define BATCH_NORM_KERNELS(T, SUF)                                                                         \
    __global__ void batch_norm_forward_##SUF(                            \
        const T* x, const T* gamma, const T* beta, double eps, T* y, T* mean, T* inv_std, int batch, int ch, int s) { \
        batch_norm_forward(x, gamma, beta, eps, y, mean, inv_std, batch, ch, s);                          \
    }                                                                                                     \
    __global__ void batch_norm_inference_##SUF(                          \
        const T* x, const T* gamma, const T* beta, const T* mean, const T* var, double eps, T* y, int batch, int ch, int s) { \
        batch_norm_inference(x, gamma, beta, mean, var, eps, y, batch, ch, s);                            \
    }                                                                                                     \
    __global__ void batch_norm_backward_##SUF(                           \
        const T* x, const T* gamma, const T* mean, const T* inv_std, const T* dy, T* dx, T* dgamma, T* dbeta, \
        int batch, int ch, int s) {                                                                       \
        batch_norm_backward(x, gamma, mean, inv_std, dy, dx, dgamma, dbeta, batch, ch, s);                \
    }                                                                                                     \
    __global__ void batch_norm_running_update_##SUF(                                                      \
        const T* mean, const T* inv_std, T* running_mean, T* running_var, double momentum, double eps,    \
        double unbias, int ch) {                                                                          \
        batch_norm_running_update(mean, inv_std, running_mean, running_var, momentum, eps, unbias, ch);   \
    }

extern "C" {
BATCH_NORM_KERNELS(double, f64)
BATCH_NORM_KERNELS(float, f32)
}
