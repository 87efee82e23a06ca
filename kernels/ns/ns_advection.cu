// Semi-Lagrangian advection on the MAC grid (Advection.java) and its adjoint, batched over
// problems: one thread per (problem, face), state index problem * size + face.
//
// The adjoint is a gather, so no two threads write one value and there are no atomics:
//   1. ns_advect_adjoint_prepare (one thread per target face f with cotangent b): the departure
//      stencil of f (base i0, j0 and tx, ty, in its component's index space) and the three
//      coefficients of (d advect / d s)^T b: b itself (scattered through the departure weights),
//      own = -dt b d(value)/d(own axis) (lands on f), cross = -dt b d(value)/d(other axis)
//      (scattered through the fixed cross-interpolation weights onto the other component).
//   2. ns_advect_reach (one block per problem): D = max over targets of max(|i0 - i|, |j0 - j|),
//      (i, j) the target's own index coordinates. An integer max, so exact and order-free.
//   3. ns_advect_adjoint_gather (one thread per source sample k = (ki, kj)): k is in target t's
//      departure stencil iff i0_t in {ki - 1, ki} and j0_t in {kj - 1, kj}, and |i0_t - i_t| <= D,
//      so every such t lies in the window i_t in [ki - 1 - D, ki + D], j_t in [kj - 1 - D, kj + D]:
//      the thread visits that window in a fixed order, then adds its own term, then the cross
//      terms of the other component's targets within two cells (the cross stencil sits at a fixed
//      offset of at most one cell). The sum is the same set of products as Advection.adjoint's
//      scatter, each computed with the same operations, added in a fixed order: deterministic,
//      and equal to the CPU result up to the order of the additions.
#include "ns_common.cuh"

template <typename T>
__device__ void advect_forward(const T* s, T* out, const int* open, NsGrid g, T dt, int problems) {
    const int size = g.size(), uSize = g.uSize();
    FOR_EACH_INDEX(idx, (long long)problems * size) {
        const int f = (int)(idx % size);
        const T* sp = s + (idx - f);
        if (!open[f]) { out[idx] = T(0); continue; }
        if (f < uSize) {
            const int i = f % (g.w + 1), j = f / (g.w + 1);
            const T x = T(i), y = T(j) + T(0.5);
            Stencil<T> cross = sample_v(g, x, y);
            Stencil<T> dep = sample_u(g, x - dt * sp[f], y - dt * cross.value(sp + uSize));
            out[idx] = dep.value(sp);
        } else {
            const int i = (f - uSize) % g.w, j = (f - uSize) / g.w;
            const T x = T(i) + T(0.5), y = T(j);
            Stencil<T> cross = sample_u(g, x, y);
            Stencil<T> dep = sample_v(g, x - dt * cross.value(sp), y - dt * sp[f]);
            out[idx] = dep.value(sp + uSize);
        }
    }
}

// coef holds five arrays of problems * size values: tx, ty, b, own, cross (COEF_* below);
// base holds i0, j0 per face (i0 = -1: the face contributes nothing).
enum { COEF_TX = 0, COEF_TY = 1, COEF_B = 2, COEF_OWN = 3, COEF_CROSS = 4 };

template <typename T>
__device__ void advect_adjoint_prepare(const T* s, const T* outBar, const int* open, NsGrid g, T dt, int problems,
                                       int* base, T* coef) {
    const int size = g.size(), uSize = g.uSize();
    const long long total = (long long)problems * size;
    FOR_EACH_INDEX(idx, total) {
        const int f = (int)(idx % size);
        const T* sp = s + (idx - f);
        const T b = outBar[idx];
        if (!open[f] || b == T(0)) {
            base[2 * idx] = -1;
            base[2 * idx + 1] = -1;
            for (int c = 0; c < 5; c++) coef[c * total + idx] = T(0);
            continue;
        }
        Stencil<T> dep;
        T own, cross;
        if (f < uSize) {
            const int i = f % (g.w + 1), j = f / (g.w + 1);
            const T x = T(i), y = T(j) + T(0.5);
            Stencil<T> c = sample_v(g, x, y);
            dep = sample_u(g, x - dt * sp[f], y - dt * c.value(sp + uSize));
            own = dt * b * dep.dx(sp);       // Advection.adjoint: sBar[f] -= dt * b * departure.dx(s)
            cross = -dt * b * dep.dy(sp);    // cross.scatter(sBar, -dt * b * departure.dy(s))
        } else {
            const int i = (f - uSize) % g.w, j = (f - uSize) / g.w;
            const T x = T(i) + T(0.5), y = T(j);
            Stencil<T> c = sample_u(g, x, y);
            dep = sample_v(g, x - dt * c.value(sp), y - dt * sp[f]);
            cross = -dt * b * dep.dx(sp + uSize);
            own = dt * b * dep.dy(sp + uSize);
        }
        base[2 * idx] = dep.i0;
        base[2 * idx + 1] = dep.j0;
        coef[COEF_TX * total + idx] = dep.tx;
        coef[COEF_TY * total + idx] = dep.ty;
        coef[COEF_B * total + idx] = b;
        coef[COEF_OWN * total + idx] = -own;
        coef[COEF_CROSS * total + idx] = cross;
    }
}

// One block per problem (gridDim.x = problems).
__device__ void advect_reach(const int* base, NsGrid g, int* reach) {
    __shared__ int sh[BLOCK_THREADS];
    const int size = g.size(), uSize = g.uSize();
    const long long first = (long long)blockIdx.x * size;
    int m = 0;
    for (int f = threadIdx.x; f < size; f += BLOCK_THREADS) {
        const int i0 = base[2 * (first + f)], j0 = base[2 * (first + f) + 1];
        if (i0 < 0) continue;
        const int nx = f < uSize ? g.w + 1 : g.w, local = f < uSize ? f : f - uSize;
        const int i = local % nx, j = local / nx;
        m = max(m, max(abs(i0 - i), abs(j0 - j)));
    }
    sh[threadIdx.x] = m;
    __syncthreads();
    for (int s = BLOCK_THREADS / 2; s > 0; s >>= 1) {
        if (threadIdx.x < s) sh[threadIdx.x] = max(sh[threadIdx.x], sh[threadIdx.x + s]);
        __syncthreads();
    }
    if (threadIdx.x == 0) reach[blockIdx.x] = sh[0];
}

template <typename T>
__device__ void advect_adjoint_gather(const int* base, const T* coef, const int* reach, NsGrid g, int problems, T* sBar) {
    const int size = g.size(), uSize = g.uSize();
    const long long total = (long long)problems * size;
    FOR_EACH_INDEX(idx, total) {
        const int k = (int)(idx % size);
        const long long first = idx - k;  // the problem's first face
        const int p = (int)(idx / size);
        const bool isU = k < uSize;
        const int nx = isU ? g.w + 1 : g.w, ny = isU ? g.h : g.h + 1, off = isU ? 0 : uSize;
        const int ki = (k - off) % nx, kj = (k - off) / nx;
        const int d = reach[p];
        T sum = T(0);
        // departure terms of this component's targets
        for (int tj = max(0, kj - 1 - d); tj <= min(ny - 1, kj + d); tj++) {
            for (int ti = max(0, ki - 1 - d); ti <= min(nx - 1, ki + d); ti++) {
                const long long t = first + off + tj * nx + ti;
                const int i0 = base[2 * t];
                if (i0 < 0) continue;
                const int di = ki - i0, dj = kj - base[2 * t + 1];
                if (di < 0 || di > 1 || dj < 0 || dj > 1) continue;
                const T tx = coef[COEF_TX * total + t], ty = coef[COEF_TY * total + t];
                sum += (di ? tx : T(1) - tx) * (dj ? ty : T(1) - ty) * coef[COEF_B * total + t];
            }
        }
        sum += coef[COEF_OWN * total + idx];
        // cross terms of the other component's targets (fixed cross stencils, within two cells)
        const int onx = isU ? g.w : g.w + 1, ony = isU ? g.h + 1 : g.h, ooff = isU ? uSize : 0;
        for (int tj = max(0, kj - 2); tj <= min(ony - 1, kj + 2); tj++) {
            for (int ti = max(0, ki - 2); ti <= min(onx - 1, ki + 2); ti++) {
                const long long t = first + ooff + tj * onx + ti;
                const T c = coef[COEF_CROSS * total + t];
                if (c == T(0)) continue;
                // the target's cross stencil, as in the forward pass: a v target samples u at
                // (i + 1/2, j), a u target samples v at (i, j + 1/2)
                Stencil<T> cs = isU ? sample_u(g, T(ti) + T(0.5), T(tj)) : sample_v(g, T(ti), T(tj) + T(0.5));
                const int di = ki - cs.i0, dj = kj - cs.j0;
                if (di < 0 || di > 1 || dj < 0 || dj > 1) continue;
                sum += cs.weight(di, dj) * c;
            }
        }
        sBar[idx] = sum;
    }
}

extern "C" {
__global__ void __launch_bounds__(BLOCK_THREADS) ns_advect_forward_f64(const double* s, double* out, const int* open, int w, int h,
                                                                     double dt, int problems) {
    advect_forward<double>(s, out, open, NsGrid{w, h}, dt, problems);
}
__global__ void __launch_bounds__(BLOCK_THREADS) ns_advect_forward_f32(const float* s, float* out, const int* open, int w, int h,
                                                                     float dt, int problems) {
    advect_forward<float>(s, out, open, NsGrid{w, h}, dt, problems);
}
__global__ void __launch_bounds__(BLOCK_THREADS) ns_advect_adjoint_prepare_f64(const double* s, const double* outBar, const int* open,
                                                                             int w, int h, double dt, int problems, int* base,
                                                                             double* coef) {
    advect_adjoint_prepare<double>(s, outBar, open, NsGrid{w, h}, dt, problems, base, coef);
}
__global__ void __launch_bounds__(BLOCK_THREADS) ns_advect_adjoint_prepare_f32(const float* s, const float* outBar, const int* open,
                                                                             int w, int h, float dt, int problems, int* base,
                                                                             float* coef) {
    advect_adjoint_prepare<float>(s, outBar, open, NsGrid{w, h}, dt, problems, base, coef);
}
// Integers only: one symbol serves both dtypes.
__global__ void __launch_bounds__(BLOCK_THREADS) ns_advect_reach_f64(const int* base, int w, int h, int* reach) {
    advect_reach(base, NsGrid{w, h}, reach);
}
__global__ void __launch_bounds__(BLOCK_THREADS) ns_advect_adjoint_gather_f64(const int* base, const double* coef, const int* reach,
                                                                            int w, int h, int problems, double* sBar) {
    advect_adjoint_gather<double>(base, coef, reach, NsGrid{w, h}, problems, sBar);
}
__global__ void __launch_bounds__(BLOCK_THREADS) ns_advect_adjoint_gather_f32(const int* base, const float* coef, const int* reach,
                                                                            int w, int h, int problems, float* sBar) {
    advect_adjoint_gather<float>(base, coef, reach, NsGrid{w, h}, problems, sBar);
}
}
