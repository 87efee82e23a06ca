// The Navier-Stokes loss on the device: a batch's rows gathered from the problem set's arrays,
// and the mean squared difference over the observed top half (MacGrid.observe: u rows j >= H/2,
// then v rows j >= H/2) with its state cotangent, as in NavierStokes.lossAndGradient.
#include "ns_common.cuh"

// dst[j * length + e] = src[rows[j] * length + e] for j in [0, k).
template <typename T>
__device__ void gather_rows(const T* src, const int* rows, int length, int k, T* dst) {
    FOR_EACH_INDEX(idx, (long long)k * length) {
        const long long j = idx / length, e = idx % length;
        dst[idx] = src[(long long)rows[j] * length + e];
    }
}

// One block per problem (gridDim.x = problems): loss[p] = sum of squared differences / obs (in
// double, fixed tree), bar = 2 (s - target) / obs on the observed faces and 0 elsewhere.
template <typename T>
__device__ void observe_loss(const T* state, const T* targets, NsGrid g, T* bar, double* loss) {
    __shared__ double sh[BLOCK_THREADS];
    const int size = g.size(), uSize = g.uSize(), problem = blockIdx.x;
    const int u0 = g.u(0, g.h / 2), v0 = g.v(0, g.h / 2);
    const int obs = (uSize - u0) + (size - v0);
    const T* s = state + (long long)problem * size;
    const T* y = targets + (long long)problem * obs;
    T* b = bar + (long long)problem * size;
    double sum = 0.0;
    for (int f = threadIdx.x; f < size; f += BLOCK_THREADS) {
        int t = -1;
        if (f >= u0 && f < uSize) t = f - u0;
        else if (f >= v0) t = (uSize - u0) + (f - v0);
        if (t < 0) { b[f] = T(0); continue; }
        const T d = s[f] - y[t];
        sum += (double)d * (double)d;
        b[f] = T(2) * d / T(obs);
    }
    sh[threadIdx.x] = sum;
    __syncthreads();
    block_tree_sum(sh);
    if (threadIdx.x == 0) loss[problem] = sh[0] / obs;
}

#define NS_LOSS_ENTRIES(T, S)                                                                                        \
    __global__ void __launch_bounds__(BLOCK_THREADS) ns_gather_rows_##S(const T* src, const int* rows, int length,    \
                                                                        int k, T* dst) {                             \
        gather_rows<T>(src, rows, length, k, dst);                                                                   \
    }                                                                                                                \
    __global__ void __launch_bounds__(BLOCK_THREADS) ns_observe_loss_##S(const T* state, const T* targets, int w,     \
                                                                         int h, T* bar, double* loss) {              \
        observe_loss<T>(state, targets, NsGrid{w, h}, bar, loss);                                                    \
    }

extern "C" {
NS_LOSS_ENTRIES(double, f64)
NS_LOSS_ENTRIES(float, f32)
}
