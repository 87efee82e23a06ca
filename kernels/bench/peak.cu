// The device's arithmetic ceiling for `reparam bench`: a register-bound loop of fused
// multiply-adds, so the measured rate is the FMA pipes' throughput and not memory's.
// Each thread runs PEAK_CHAINS independent chains (enough to hide the FMA latency at any
// occupancy), then writes one value so the compiler cannot drop the loop.
// FLOPs per launch: 2 * PEAK_CHAINS * iterations * (threads that pass the bound check);
// dev.reparam.bench.CudaFmaPeak.CHAINS mirrors PEAK_CHAINS.
#include "common.cuh"

#define PEAK_CHAINS 8

// b and c arrive as arguments so the chains cannot be folded at compile time; with |b| < 1
// every chain converges to c / (1 - b): no overflow, no denormals, whatever the iteration count.
template <typename T>
__device__ void fma_peak(T* out, int n, int iterations, T b, T c) {
    long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
    T a[PEAK_CHAINS];
#pragma unroll
    for (int k = 0; k < PEAK_CHAINS; k++) a[k] = (T)(threadIdx.x + k);
    for (int it = 0; it < iterations; it++) {
#pragma unroll
        for (int k = 0; k < PEAK_CHAINS; k++) a[k] = fma(a[k], b, c);
    }
    T s = 0;
#pragma unroll
    for (int k = 0; k < PEAK_CHAINS; k++) s += a[k];
    if (i < n) out[i] = s;
}

extern "C" {
__global__ void fma_peak_f64(double* out, int n, int iterations, double b, double c) { fma_peak(out, n, iterations, b, c); }
__global__ void fma_peak_f32(float* out, int n, int iterations, float b, float c) { fma_peak(out, n, iterations, b, c); }
}
