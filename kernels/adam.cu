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

// Adam with its step count, clip scale and bias corrections kept on the device, so that a step
// needs no host read of the gradient norm and can be captured in a CUDA graph and replayed.
// state[] (double): STEP, SCALE, C1, C2, FAILED (sticky 0/1), FAILED_NORM.
#define ADAM_STEP 0
#define ADAM_SCALE 1
#define ADAM_C1 2
#define ADAM_C2 3
#define ADAM_FAILED 4
#define ADAM_FAILED_NORM 5

// The learning-rate factor at update `step` (dev.reparam.tensor.LrSchedule.factor): 1 without a
// decay (decay_steps 0), else cosine from 1 to `floor` over decay_steps updates.
__device__ inline double lr_factor(double step, int decay_steps, double floor_factor) {
    if (decay_steps == 0) return 1.0;
    const double done = fmin(step - 1.0, (double)decay_steps);
    return floor_factor + (1.0 - floor_factor) * 0.5 * (1.0 + cos(3.141592653589793 * done / decay_steps));
}

// One thread, after the sum of squares of the gradient has been reduced into *sum_sq. A
// non-finite norm sets FAILED and leaves everything else as it was; every later step is then
// skipped (the host checks FAILED and stops, as the host-side Adam throws at once). The
// schedule's factor f divides C1: lr (m / (c1 / f)) is the scheduled step, and lr, a launch
// argument that a captured graph keeps, stays the base rate. A floor of 0 makes the last steps'
// C1 infinite, and their update exactly 0, as lr 0 would.
__device__ void adam_prepare(const double* sum_sq, double* state, double beta1, double beta2, double max_norm,
                             int decay_steps, double floor_factor) {
    if (state[ADAM_FAILED] != 0.0) return;
    const double norm = sqrt(*sum_sq);
    if (!isfinite(norm)) {
        state[ADAM_FAILED] = 1.0;
        state[ADAM_FAILED_NORM] = norm;
        return;
    }
    const double step = state[ADAM_STEP] + 1.0;
    state[ADAM_STEP] = step;
    state[ADAM_SCALE] = fmin(1.0, max_norm / norm);  // norm == 0: max_norm / 0 = inf, no scaling
    state[ADAM_C1] = (1.0 - pow(beta1, step)) / lr_factor(step, decay_steps, floor_factor);
    state[ADAM_C2] = 1.0 - pow(beta2, step);
}

template <typename T>
__device__ void adam_apply(T* param, const T* grad, T* m, T* v, T lr, T beta1, T beta2, T eps, const double* state,
                           int n) {
    if (state[ADAM_FAILED] != 0.0) return;
    adam_update(param, grad, m, v, lr, beta1, beta2, eps, (T)state[ADAM_C1], (T)state[ADAM_C2], (T)state[ADAM_SCALE], n);
}

extern "C" {
// Launched as one block; thread 0 does the work.
__global__ void adam_prepare_f64(const double* sum_sq, double* state, double beta1, double beta2, double max_norm,
                                 int decay_steps, double floor_factor) {
    if (blockIdx.x == 0 && threadIdx.x == 0) adam_prepare(sum_sq, state, beta1, beta2, max_norm, decay_steps, floor_factor);
}
__global__ void adam_apply_f64(double* param, const double* grad, double* m, double* v, double lr, double beta1,
                               double beta2, double eps, const double* state, int n) {
    adam_apply(param, grad, m, v, lr, beta1, beta2, eps, state, n);
}
__global__ void adam_apply_f32(float* param, const float* grad, float* m, float* v, float lr, float beta1,
                               float beta2, float eps, const double* state, int n) {
    adam_apply(param, grad, m, v, lr, beta1, beta2, eps, state, n);
}
__global__ void adam_update_f64(double* param, const double* grad, double* m, double* v, double lr, double beta1,
                                double beta2, double eps, double c1, double c2, double grad_scale, int n) {
    adam_update(param, grad, m, v, lr, beta1, beta2, eps, c1, c2, grad_scale, n);
}
__global__ void adam_update_f32(float* param, const float* grad, float* m, float* v, float lr, float beta1,
                                float beta2, float eps, float c1, float c2, float grad_scale, int n) {
    adam_update(param, grad, m, v, lr, beta1, beta2, eps, c1, c2, grad_scale, n);
}
}
