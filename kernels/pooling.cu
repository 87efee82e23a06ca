// Non-overlapping max pooling of x[B,C,H,W] over kh x kw windows (reference: CpuPooling):
// y[B,C,OH,OW] with OH = floor(H / kh). Ties go to the first maximum in row-major window order.
#include "common.cuh"

// Index of the first maximum of output element o's window; planes = B C.
template <typename T>
__device__ __forceinline__ long long window_arg_max(const T* x, long long o, int h, int w, int oh, int ow, int kh, int kw) {
    const int j = o % ow, i = (o / ow) % oh;
    const long long plane = o / ((long long)ow * oh);
    const long long first = (plane * h + (long long)i * kh) * w + (long long)j * kw;
    long long best = first;
    for (int a = 0; a < kh; a++) {
        for (int b = 0; b < kw; b++) {
            const long long k = first + (long long)a * w + b;
            if (x[k] > x[best]) best = k;
        }
    }
    return best;
}

template <typename T>
__device__ void max_pool2d_forward(const T* x, T* y, int planes, int h, int w, int oh, int ow, int kh, int kw) {
    const long long total = (long long)planes * oh * ow;
    FOR_EACH_INDEX(o, total) y[o] = x[window_arg_max(x, o, h, w, oh, ow, kh, kw)];
}

// dx[argmax] += dy: windows do not overlap, so each dx element has at most one writer (no atomics).
template <typename T>
__device__ void max_pool2d_backward(const T* x, const T* dy, T* dx, int planes, int h, int w, int oh, int ow, int kh, int kw) {
    const long long total = (long long)planes * oh * ow;
    FOR_EACH_INDEX(o, total) dx[window_arg_max(x, o, h, w, oh, ow, kh, kw)] += dy[o];
}

#define POOL_PARAMS int planes, int h, int w, int oh, int ow, int kh, int kw
extern "C" {
__global__ void max_pool2d_forward_f64(const double* x, double* y, POOL_PARAMS) {
    max_pool2d_forward(x, y, planes, h, w, oh, ow, kh, kw);
}
__global__ void max_pool2d_forward_f32(const float* x, float* y, POOL_PARAMS) {
    max_pool2d_forward(x, y, planes, h, w, oh, ow, kh, kw);
}
__global__ void max_pool2d_backward_f64(const double* x, const double* dy, double* dx, POOL_PARAMS) {
    max_pool2d_backward(x, dy, dx, planes, h, w, oh, ow, kh, kw);
}
__global__ void max_pool2d_backward_f32(const float* x, const float* dy, float* dx, POOL_PARAMS) {
    max_pool2d_backward(x, dy, dx, planes, h, w, oh, ow, kh, kw);
}
}
