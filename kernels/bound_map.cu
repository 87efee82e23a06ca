// The bound map around a device solver that works in the physical parameters xi (the
// Kuramoto-Sivashinsky kernels): bound_map_forward turns the network output z[rows, d] into xi,
// bound_map_finish turns the solver's per-problem loss and gradient in xi (double) into the
// DeviceLoss outputs, loss[rows] and the gradient in z. Reference: UnconstrainedObjective over the
// problem set's lossAndGradient. And parameter_error, the supervised loss in the same map
// (reference: ParameterErrorOp). `bounds` is the packed [mid, half, bounded] array of bound_map.cuh.
#include "common.cuh"
#include "bound_map.cuh"

template <typename T>
__device__ void bound_map_forward(const T* z, const double* bounds, T* xi, int n, int d) {
    FOR_EACH_INDEX(i, n) {
        double zi = (double)z[i];
        xi[i] = (T)bound_map_of(bounds, d, (int)(i % d)).physical(zi, tanh(zi));
    }
}

// n = rows * d. grad_z[i] = grad_xi[i] * dxi/dz[i]; the first element of each row also writes
// the row's loss, where +infinity (a solver's mark for a problem that diverged) becomes
// infinite_loss, as the host problem set does (KsProblems.DIVERGED_LOSS).
template <typename T>
__device__ void bound_map_finish(const T* z, const double* loss_xi, const double* grad_xi, const double* bounds, T* loss,
                                 T* grad_z, int n, int d, double infinite_loss) {
    FOR_EACH_INDEX(i, n) {
        const int j = (int)(i % d);
        grad_z[i] = (T)(grad_xi[i] * bound_map_of(bounds, d, j).jacobian(tanh((double)z[i])));
        if (j == 0) {
            const double l = loss_xi[i / d];
            loss[i / d] = (T)(l == INFINITY ? infinite_loss : l);
        }
    }
}

// Supervised training's loss, per row r of z[rows, d]: e[r] = sum_c res_c^2 with
// res_c = (xi_c - truth[r, c]) / half_c and xi the bound map of z, summed in c order as the host
// does; grad_z[r, c] = 2 res_c / half_c * dxi/dz (the upstream factor comes in the chain rule).
// One thread per row; double arithmetic, truth in double.
template <typename T>
__device__ void parameter_error(const T* z, const double* truth, const double* bounds, T* e, T* grad_z, int rows, int d) {
    FOR_EACH_INDEX(r, rows) {
        double sum = 0.0;
        for (int c = 0; c < d; c++) {
            const long long i = r * d + c;
            const BoundMap map = bound_map_of(bounds, d, c);
            const double zi = (double)z[i], th = tanh(zi);
            const double res = (map.physical(zi, th) - truth[i]) / map.half;
            sum += res * res;
            grad_z[i] = (T)(2.0 * res / map.half * map.jacobian(th));
        }
        e[r] = (T)sum;
    }
}

extern "C" {
__global__ void bound_map_forward_f64(const double* z, const double* bounds, double* xi, int n, int d) {
    bound_map_forward(z, bounds, xi, n, d);
}
__global__ void bound_map_forward_f32(const float* z, const double* bounds, float* xi, int n, int d) {
    bound_map_forward(z, bounds, xi, n, d);
}
__global__ void bound_map_finish_f64(const double* z, const double* loss_xi, const double* grad_xi, const double* bounds,
                                     double* loss, double* grad_z, int n, int d, double infinite_loss) {
    bound_map_finish(z, loss_xi, grad_xi, bounds, loss, grad_z, n, d, infinite_loss);
}
__global__ void bound_map_finish_f32(const float* z, const double* loss_xi, const double* grad_xi, const double* bounds,
                                     float* loss, float* grad_z, int n, int d, double infinite_loss) {
    bound_map_finish(z, loss_xi, grad_xi, bounds, loss, grad_z, n, d, infinite_loss);
}
__global__ void parameter_error_f64(const double* z, const double* truth, const double* bounds, double* e, double* grad_z,
                                   int rows, int d) {
    parameter_error(z, truth, bounds, e, grad_z, rows, d);
}
__global__ void parameter_error_f32(const float* z, const double* truth, const double* bounds, float* e, float* grad_z,
                                   int rows, int d) {
    parameter_error(z, truth, bounds, e, grad_z, rows, d);
}
}
