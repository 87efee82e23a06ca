// Pointwise nonlinearities and their backward passes (reference: CpuActivations).
// Backward passes accumulate (dx +=) and use the forward output y where the derivative allows.
#include "common.cuh"

__device__ inline double exp_t(double x) { return exp(x); }
__device__ inline float exp_t(float x) { return expf(x); }
__device__ inline double tanh_t(double x) { return tanh(x); }
__device__ inline float tanh_t(float x) { return tanhf(x); }

template <typename T>
__device__ void relu_forward(const T* x, T* y, int n) {
    FOR_EACH_INDEX(i, n) y[i] = x[i] > T(0) ? x[i] : T(0);
}

template <typename T>
__device__ void relu_backward(const T* x, const T* dy, T* dx, int n) {
    FOR_EACH_INDEX(i, n) dx[i] += x[i] > T(0) ? dy[i] : T(0);
}

template <typename T>
__device__ void sigmoid_forward(const T* x, T* y, int n) {
    FOR_EACH_INDEX(i, n) y[i] = T(1) / (T(1) + exp_t(-x[i]));
}

template <typename T>
__device__ void sigmoid_backward(const T* y, const T* dy, T* dx, int n) {
    FOR_EACH_INDEX(i, n) dx[i] += y[i] * (T(1) - y[i]) * dy[i];
}

template <typename T>
__device__ void tanh_forward(const T* x, T* y, int n) {
    FOR_EACH_INDEX(i, n) y[i] = tanh_t(x[i]);
}

template <typename T>
__device__ void tanh_backward(const T* y, const T* dy, T* dx, int n) {
    FOR_EACH_INDEX(i, n) dx[i] += (T(1) - y[i] * y[i]) * dy[i];
}

extern "C" {
__global__ void relu_forward_f64(const double* x, double* y, int n) { relu_forward(x, y, n); }
__global__ void relu_forward_f32(const float* x, float* y, int n) { relu_forward(x, y, n); }
__global__ void relu_backward_f64(const double* x, const double* dy, double* dx, int n) { relu_backward(x, dy, dx, n); }
__global__ void relu_backward_f32(const float* x, const float* dy, float* dx, int n) { relu_backward(x, dy, dx, n); }
__global__ void sigmoid_forward_f64(const double* x, double* y, int n) { sigmoid_forward(x, y, n); }
__global__ void sigmoid_forward_f32(const float* x, float* y, int n) { sigmoid_forward(x, y, n); }
__global__ void sigmoid_backward_f64(const double* y, const double* dy, double* dx, int n) { sigmoid_backward(y, dy, dx, n); }
__global__ void sigmoid_backward_f32(const float* y, const float* dy, float* dx, int n) { sigmoid_backward(y, dy, dx, n); }
__global__ void tanh_forward_f64(const double* x, double* y, int n) { tanh_forward(x, y, n); }
__global__ void tanh_forward_f32(const float* x, float* y, int n) { tanh_forward(x, y, n); }
__global__ void tanh_backward_f64(const double* y, const double* dy, double* dx, int n) { tanh_backward(y, dy, dx, n); }
__global__ void tanh_backward_f32(const float* y, const float* dy, float* dx, int n) { tanh_backward(y, dy, dx, n); }
}
