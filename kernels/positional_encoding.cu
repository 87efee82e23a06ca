// NeRF-style positional encoding (reference: CpuPositionalEncoding): per input feature v the
// group [v, sin(2^f pi v), cos(2^f pi v) for f < F]. sincospi of the exactly scaled 2^f v keeps
// the argument exact, so float32 stays within 1e-4 of the float64 reference even for large f,
// where sin of a float-rounded 2^f pi v would not. One thread per input element.
#include "common.cuh"

__device__ __forceinline__ void sin_cos_pi(double v, double* s, double* c) { sincospi(v, s, c); }
__device__ __forceinline__ void sin_cos_pi(float v, float* s, float* c) { sincospif(v, s, c); }

// x has n elements, y has n (1 + 2F).
template <typename T>
__device__ void positional_encoding_forward(const T* x, T* y, int n, int frequencies) {
    const int group = 1 + 2 * frequencies;
    FOR_EACH_INDEX(i, n) {
        const T v = x[i];
        T* out = y + i * group;
        out[0] = v;
        for (int f = 0; f < frequencies; f++) {
            T s, c;
            sin_cos_pi(ldexp(v, f), &s, &c);
            out[1 + 2 * f] = s;
            out[2 + 2 * f] = c;
        }
    }
}

// dx += dy_0 + sum_f 2^f pi (cos(2^f pi v) dy_{1+2f} - sin(2^f pi v) dy_{2+2f}).
template <typename T>
__device__ void positional_encoding_backward(const T* x, const T* dy, T* dx, int n, int frequencies) {
    const int group = 1 + 2 * frequencies;
    FOR_EACH_INDEX(i, n) {
        const T v = x[i];
        const T* g = dy + i * group;
        T acc = g[0];
        for (int f = 0; f < frequencies; f++) {
            T s, c;
            sin_cos_pi(ldexp(v, f), &s, &c);
            acc += ldexp(T(3.14159265358979323846), f) * (c * g[1 + 2 * f] - s * g[2 + 2 * f]);
        }
        dx[i] += acc;
    }
}

extern "C" {
__global__ void positional_encoding_forward_f64(const double* x, double* y, int n, int frequencies) {
    positional_encoding_forward(x, y, n, frequencies);
}
__global__ void positional_encoding_forward_f32(const float* x, float* y, int n, int frequencies) {
    positional_encoding_forward(x, y, n, frequencies);
}
__global__ void positional_encoding_backward_f64(const double* x, const double* dy, double* dx, int n, int frequencies) {
    positional_encoding_backward(x, dy, dx, n, frequencies);
}
__global__ void positional_encoding_backward_f32(const float* x, const float* dy, float* dx, int n, int frequencies) {
    positional_encoding_backward(x, dy, dx, n, frequencies);
}
}
