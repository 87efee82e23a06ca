// Elementwise arithmetic: Backend.fill, add, axpy, scale (CpuBackend is the reference).
#include "common.cuh"

template <typename T>
__device__ void fill(T* t, T value, int n) {
    FOR_EACH_INDEX(i, n) t[i] = value;
}

template <typename T>
__device__ void add(const T* a, const T* b, T* out, int n) {
    FOR_EACH_INDEX(i, n) out[i] = a[i] + b[i];
}

// y += alpha * x
template <typename T>
__device__ void axpy(T alpha, const T* x, T* y, int n) {
    FOR_EACH_INDEX(i, n) y[i] += alpha * x[i];
}

// out = alpha * x
template <typename T>
__device__ void scale(const T* x, T alpha, T* out, int n) {
    FOR_EACH_INDEX(i, n) out[i] = alpha * x[i];
}

// out[i] += w[i / d] * g[i]: a per-row weight times a per-element gradient (the chain rule
// through a per-problem loss whose upstream gradient has one value per row).
template <typename T>
__device__ void row_scale_accumulate(const T* w, const T* g, T* out, int n, int d) {
    FOR_EACH_INDEX(i, n) out[i] += w[i / d] * g[i];
}

extern "C" {
__global__ void fill_f64(double* t, double value, int n) { fill(t, value, n); }
__global__ void fill_f32(float* t, float value, int n) { fill(t, value, n); }
__global__ void add_f64(const double* a, const double* b, double* out, int n) { add(a, b, out, n); }
__global__ void add_f32(const float* a, const float* b, float* out, int n) { add(a, b, out, n); }
__global__ void axpy_f64(double alpha, const double* x, double* y, int n) { axpy(alpha, x, y, n); }
__global__ void axpy_f32(float alpha, const float* x, float* y, int n) { axpy(alpha, x, y, n); }
__global__ void scale_f64(const double* x, double alpha, double* out, int n) { scale(x, alpha, out, n); }
__global__ void scale_f32(const float* x, float alpha, float* out, int n) { scale(x, alpha, out, n); }
__global__ void row_scale_accumulate_f64(const double* w, const double* g, double* out, int n, int d) {
    row_scale_accumulate(w, g, out, n, d);
}
__global__ void row_scale_accumulate_f32(const float* w, const float* g, float* out, int n, int d) {
    row_scale_accumulate(w, g, out, n, d);
}
}
