// One bias-corrected Adam step on a flat parameter vector (reference: CpuBackend.adamUpdate).
// The bias corrections c1 = 1 - beta1^step and c2 = 1 - beta2^step are computed on the host in
// double, once per step, rather than by every thread.
#include "common.cuh"

__device__ inline double sqrt_t(double x) { return sqrt(x); }
__device__ inline float sqrt_t(float x) { return sqrtf(x); }

template <typename T>
__device__ void adam_update(T* param, const T* grad, T* m, T* v, T lr, T beta1, T beta2, T eps,
                            T c1, T c2, T grad_scale, int n) {
    FOR_EACH_INDEX(i, n) {
        T g = grad_scale * grad[i];
        T mi = beta1 * m[i] + (T(1) - beta1) * g;
        T vi = beta2 * v[i] + (T(1) - beta2) * g * g;
        m[i] = mi;
        v[i] = vi;
        param[i] -= lr * (mi / c1) / (sqrt_t(vi / c2) + eps);
    }
}

extern "C" {
__global__ void adam_update_f64(double* param, const double* grad, double* m, double* v, double lr, double beta1,
                                double beta2, double eps, double c1, double c2, double grad_scale, int n) {
    adam_update(param, grad, m, v, lr, beta1, beta2, eps, c1, c2, grad_scale, n);
}
__global__ void adam_update_f32(float* param, const float* grad, float* m, float* v, float lr, float beta1,
                                float beta2, float eps, float c1, float c2, float grad_scale, int n) {
    adam_update(param, grad, m, v, lr, beta1, beta2, eps, c1, c2, grad_scale, n);
}
}
