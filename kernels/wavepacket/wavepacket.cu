// The wave packet problems' loss and gradient on the device (reference: WavePacket.lossAndGradient
// behind UnconstrainedObjective), fused with the bound map (bound_map.cuh) so that a
// reparameterized iteration never leaves the GPU: from the network's unconstrained output z[n]
// (one unknown, t0, per problem) it writes loss[j] = mean_k (u(k + 1; t0_j) - y[j, k])^2 and dloss[j]/dz[j].
//
// One block per problem (grid-stride over problems beyond the grid cap), one thread per sample
// (strided when samples > BLOCK_THREADS); both sums go through the fixed shared-memory tree, so
// the result is deterministic. The arithmetic is double for float32 too: only y, z and the
// outputs are stored as T. In float, sin(s) of an s near 100 is off by ~1e-5, and the gradient,
// a sum of 256 such terms that cancels near an optimum, would miss the 1e-4 parity there.
#include "common.cuh"
#include "bound_map.cuh"

template <typename T>
__device__ void wave_packet_loss(const T* z, const T* y, T* loss, T* grad_z, int n, int samples, double mid,
                                 double half, int bounded, double amplitude, double inv_sigma2) {
    __shared__ double sh_loss[BLOCK_THREADS];
    __shared__ double sh_grad[BLOCK_THREADS];
    const BoundMap map{mid, half, bounded != 0};
    for (int j = blockIdx.x; j < n; j += gridDim.x) {
        double zj = (double)z[j];
        double th = tanh(zj);
        double t0 = map.physical(zj, th);
        const T* yj = y + (long long)j * samples;
        double sum = 0.0, dsum = 0.0;
        for (int k = threadIdx.x; k < samples; k += BLOCK_THREADS) {
            double s = (double)(k + 1) - t0;
            double envelope = exp(-s * s * inv_sigma2);
            double sn, cs;
            sincos(s, &sn, &cs);
            double u = amplitude * sn * envelope;
            double dudt0 = -amplitude * envelope * (cs - 2.0 * s * inv_sigma2 * sn);  // du/dt0 = -du/ds
            double r = u - (double)yj[k];
            sum += r * r;
            dsum += r * dudt0;
        }
        sh_loss[threadIdx.x] = sum;
        sh_grad[threadIdx.x] = dsum;
        __syncthreads();
        block_tree_sum(sh_loss);
        block_tree_sum(sh_grad);
        if (threadIdx.x == 0) {
            double dxi = 2.0 * sh_grad[0] / samples;
            loss[j] = (T)(sh_loss[0] / samples);
            grad_z[j] = (T)(dxi * map.jacobian(th));  // as UnconstrainedObjective
        }
        __syncthreads();  // the next problem reuses sh_*
    }
}

extern "C" {
__global__ void __launch_bounds__(BLOCK_THREADS)
wave_packet_loss_f64(const double* z, const double* y, double* loss, double* grad_z, int n, int samples,
                     double mid, double half, int bounded, double amplitude, double inv_sigma2) {
    wave_packet_loss(z, y, loss, grad_z, n, samples, mid, half, bounded, amplitude, inv_sigma2);
}
__global__ void __launch_bounds__(BLOCK_THREADS)
wave_packet_loss_f32(const float* z, const float* y, float* loss, float* grad_z, int n, int samples,
                     double mid, double half, int bounded, double amplitude, double inv_sigma2) {
    wave_packet_loss(z, y, loss, grad_z, n, samples, mid, half, bounded, amplitude, inv_sigma2);
}
}
