// Bounded output map xi = mid + half * tanh(z), column-wise over z[rows, d] (reference:
// CpuBackend.scaledTanh). mid and half are d-element device arrays uploaded once per problem set.
#include "common.cuh"

__device__ inline double tanh_t(double x) { return tanh(x); }
__device__ inline float tanh_t(float x) { return tanhf(x); }

template <typename T>
__device__ void scaled_tanh_forward(const T* z, const T* mid, const T* half, T* xi, int n, int d) {
    FOR_EACH_INDEX(i, n) {
        int j = (int)(i % d);
        xi[i] = mid[j] + half[j] * tanh_t(z[i]);
    }
}

// dz += half * (1 - tanh(z)^2) * dxi
template <typename T>
__device__ void scaled_tanh_backward(const T* z, const T* half, const T* dxi, T* dz, int n, int d) {
    FOR_EACH_INDEX(i, n) {
        T t = tanh_t(z[i]);
        dz[i] += half[(int)(i % d)] * (T(1) - t * t) * dxi[i];
    }
}

extern "C" {
__global__ void scaled_tanh_forward_f64(const double* z, const double* mid, const double* half, double* xi, int n, int d) {
    scaled_tanh_forward(z, mid, half, xi, n, d);
}
__global__ void scaled_tanh_forward_f32(const float* z, const float* mid, const float* half, float* xi, int n, int d) {
    scaled_tanh_forward(z, mid, half, xi, n, d);
}
__global__ void scaled_tanh_backward_f64(const double* z, const double* half, const double* dxi, double* dz, int n, int d) {
    scaled_tanh_backward(z, half, dxi, dz, n, d);
}
__global__ void scaled_tanh_backward_f32(const float* z, const float* half, const float* dxi, float* dz, int n, int d) {
    scaled_tanh_backward(z, half, dxi, dz, n, d);
}
}
