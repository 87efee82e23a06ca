// The linear parts of the Navier-Stokes step and the force at t = 0, batched over problems
// (state index problem * size + face): explicit viscosity (Viscosity.java) and its transpose, the
// Gaussian force (GaussianForce.java) applied to masked initial states, and its parameter gradient.
#include "ns_common.cuh"

// GaussianForce: centre y and radius are fixed cells; 1 / (2 R^2) as Java rounds it.
#define NS_FORCE_CENTRE_Y 15.0
#define NS_FORCE_INV_2R2 (1.0 / (2.0 * 5.0 * 5.0))

// Face f's position and component: u(i, j) at (i, j + 1/2), v(i, j) at (i + 1/2, j); nx and the
// local (i, j) in the component's face array.
struct FacePosition {
    bool isU;
    int i, j, nx, ny, off;
};

__device__ inline FacePosition face_position(const NsGrid& g, int f) {
    FacePosition p;
    p.isU = f < g.uSize();
    p.off = p.isU ? 0 : g.uSize();
    p.nx = p.isU ? g.w + 1 : g.w;
    p.ny = p.isU ? g.h : g.h + 1;
    p.i = (f - p.off) % p.nx;
    p.j = (f - p.off) / p.nx;
    return p;
}

// out = M (I + c L) a, or with transpose != 0, out = (I + c L) M a: Viscosity.component, each
// component's 5-point Laplacian over its own face array (neighbours outside it count as 0).
template <typename T>
__device__ void viscosity(const T* a, T* out, const int* open, NsGrid g, T c, int transpose, int problems) {
    const int size = g.size();
    FOR_EACH_INDEX(idx, (long long)problems * size) {
        const int f = (int)(idx % size);
        if (!transpose && !open[f]) { out[idx] = T(0); continue; }
        const FacePosition p = face_position(g, f);
        const T* ap = a + (idx - f);
        auto in = [&](int face) { return transpose && !open[face] ? T(0) : ap[face]; };
        T sum = T(-4) * in(f);
        if (p.i > 0) sum += in(f - 1);
        if (p.i < p.nx - 1) sum += in(f + 1);
        if (p.j > 0) sum += in(f - p.nx);
        if (p.j < p.ny - 1) sum += in(f + p.nx);
        out[idx] = in(f) + c * sum;
    }
}

template <typename T>
__device__ T force_profile(T x, T y, T x0) {
    const T dx = x - x0, dy = y - T(NS_FORCE_CENTRE_Y);
    return exp(-(dx * dx + dy * dy) * T(NS_FORCE_INV_2R2));
}

// out = M initial + force(xi): NavierStokes.rollout's maskClosed then GaussianForce.apply.
// params[3 p .. 3 p + 3) = (x0, v0x, v0y) of problem p.
template <typename T>
__device__ void force_initial(const T* initial, const T* params, const int* open, NsGrid g, int problems, T* out) {
    const int size = g.size();
    FOR_EACH_INDEX(idx, (long long)problems * size) {
        const int f = (int)(idx % size);
        if (!open[f]) { out[idx] = T(0); continue; }
        const T* xi = params + 3 * (idx / size);
        const FacePosition p = face_position(g, f);
        const T x = p.isU ? T(p.i) : T(p.i) + T(0.5), y = p.isU ? T(p.j) + T(0.5) : T(p.j);
        out[idx] = initial[idx] + (p.isU ? xi[1] : xi[2]) * force_profile(x, y, xi[0]);
    }
}

// One block per problem (gridDim.x = problems): grad[3 p ..) = (d force / d xi)^T bar, three sums in
// double by a fixed tree (GaussianForce.gradient). grad is float64 for every dtype, like the loss, so
// the bound map's finish (bound_map.cu) reads it directly on the device path.
template <typename T>
__device__ void force_gradient(const T* bar, const T* params, const int* open, NsGrid g, double* grad) {
    __shared__ double sh[3][BLOCK_THREADS];
    const int size = g.size(), problem = blockIdx.x;
    const T* xi = params + 3 * problem;
    const T* bp = bar + (long long)problem * size;
    double gx0 = 0.0, gvx = 0.0, gvy = 0.0;
    for (int f = threadIdx.x; f < size; f += BLOCK_THREADS) {
        if (!open[f]) continue;
        const FacePosition p = face_position(g, f);
        const T x = p.isU ? T(p.i) : T(p.i) + T(0.5), y = p.isU ? T(p.j) + T(0.5) : T(p.j);
        const T b = bp[f] * force_profile(x, y, xi[0]);
        const T v = p.isU ? xi[1] : xi[2];
        if (p.isU) gvx += (double)b; else gvy += (double)b;
        gx0 += (double)(v * b * (x - xi[0]) * T(2) * T(NS_FORCE_INV_2R2));
    }
    sh[0][threadIdx.x] = gx0;
    sh[1][threadIdx.x] = gvx;
    sh[2][threadIdx.x] = gvy;
    __syncthreads();
    for (int s = BLOCK_THREADS / 2; s > 0; s >>= 1) {
        if (threadIdx.x < s) {
            for (int k = 0; k < 3; k++) sh[k][threadIdx.x] += sh[k][threadIdx.x + s];
        }
        __syncthreads();
    }
    if (threadIdx.x < 3) grad[3 * problem + threadIdx.x] = sh[threadIdx.x][0];
}

#define NS_FORCES_ENTRIES(T, S)                                                                                          \
    __global__ void __launch_bounds__(BLOCK_THREADS) ns_viscosity_##S(const T* a, T* out, const int* open, int w, int h,  \
                                                                      T c, int transpose, int problems) {               \
        viscosity<T>(a, out, open, NsGrid{w, h}, c, transpose, problems);                                                \
    }                                                                                                                    \
    __global__ void __launch_bounds__(BLOCK_THREADS) ns_force_initial_##S(const T* initial, const T* params,              \
                                                                          const int* open, int w, int h, int problems,  \
                                                                          T* out) {                                      \
        force_initial<T>(initial, params, open, NsGrid{w, h}, problems, out);                                            \
    }                                                                                                                    \
    __global__ void __launch_bounds__(BLOCK_THREADS) ns_force_gradient_##S(const T* bar, const T* params, const int* open, \
                                                                           int w, int h, double* grad) {                 \
        force_gradient<T>(bar, params, open, NsGrid{w, h}, grad);                                                        \
    }

extern "C" {
NS_FORCES_ENTRIES(double, f64)
NS_FORCES_ENTRIES(float, f32)
}
