// L-BFGS vector work for many problems at once (reference: dev.reparam.optim.HostLbfgsVectors,
// whose two-loop recursion is LbfgsMemory.direction). The host keeps each problem's scalar state
// machine (Moré–Thuente line search, stop tests, curvature-skip rule) and asks for one of these
// operations for a list of problems `ids[0..k)`; outputs are written at the list position w.
//
// Geometry: one warp per listed problem (BLOCK_THREADS / 32 = 8 problems per block, grid
// ceil(k / 8), see LaunchGeometry.warpBlocks). Lane l handles the elements i = l, l + 32, ... of
// every vector of its problem, in every kernel and every loop, so a lane only ever reads elements
// it wrote itself: the vector updates need no synchronisation. A dot product is summed per lane
// in index order, then across lanes by a fixed xor-shuffle butterfly: every lane ends with the
// same bits (IEEE addition is commutative), and the result depends on the data only.
// Deterministic, no atomics. Sums are in double for float32 vectors too.
//
// Elementwise updates use __dmul_rn / __dadd_rn so that nvcc cannot contract them into FMAs:
// x + stp * d is then rounded exactly as the Java reference rounds it, which matters because the
// host compares a trial point with the last evaluated one bit for bit.
//
// Layout (T = double or float): vectors [n][dim] (x, g, d, trial, ex = last evaluated point,
// eg = gradient there, yt = newest y); history s, y [n][m][dim]; rho [n][m], h0 [n], yy [n],
// alpha [n][m] (scratch) in double; count [n], newest [n] as int (newest = -1 when empty).
#include "common.cuh"

#define WARP 32
#define FULL_MASK 0xffffffffu
static_assert(BLOCK_THREADS % WARP == 0, "whole warps per block");

// The warp's problem: ids[w], or -1 for the idle warps of the last block.
__device__ inline int warp_problem(const int* ids, int k) {
    const long long w = ((long long)blockIdx.x * BLOCK_THREADS + threadIdx.x) / WARP;
    return w < k ? ids[w] : -1;
}
__device__ inline int list_position() {
    return (int)(((long long)blockIdx.x * BLOCK_THREADS + threadIdx.x) / WARP);
}
__device__ inline int lane() { return threadIdx.x % WARP; }

__device__ inline double warp_sum(double s) {
    for (int o = WARP / 2; o > 0; o >>= 1) s += __shfl_xor_sync(FULL_MASK, s, o);
    return s;
}
__device__ inline double warp_max(double s) {
    for (int o = WARP / 2; o > 0; o >>= 1) s = fmax(s, __shfl_xor_sync(FULL_MASK, s, o));
    return s;
}

// a[0..dim) . b[0..dim), in double, identical on every lane.
template <typename T>
__device__ double warp_dot(const T* a, const T* b, int dim) {
    double s = 0.0;
    for (int i = lane(); i < dim; i += WARP) s += (double)a[i] * (double)b[i];
    return warp_sum(s);
}

// v += a * u, rounded as Java rounds y[i] += a * x[i] (no FMA contraction).
template <typename T>
__device__ void warp_axpy(double a, const T* u, T* v, int dim) {
    for (int i = lane(); i < dim; i += WARP) v[i] = (T)__dadd_rn((double)v[i], __dmul_rn(a, (double)u[i]));
}

template <typename T>
__device__ inline T* row(T* base, int p, int dim) {
    return base + (long long)p * dim;
}

// d = -H g by the two-loop recursion over the problem's count pairs, newest first (LbfgsMemory):
// H0 = h0 I from the newest pair, d = -g when there is none. Then gd = g'd and dd = d'd.
template <typename T>
__device__ void direction(const int* ids, int k, int dim, int m, const T* g, T* d, const T* s, const T* y,
                          const double* rho, const double* h0, const int* count, const int* newest, double* alpha,
                          double* gd, double* dd) {
    const int p = warp_problem(ids, k);
    if (p < 0) return;
    const T* gp = row(g, p, dim);
    T* dp = row(d, p, dim);
    const int c = count[p], nw = newest[p];
    const T* sp = s + (long long)p * m * dim;
    const T* yp = y + (long long)p * m * dim;
    const double* rp = rho + (long long)p * m;
    double* ap = alpha + (long long)p * m;
    for (int i = lane(); i < dim; i += WARP) dp[i] = -gp[i];
    for (int q = 0, j = nw; q < c; q++, j = (j - 1 + m) % m) {
        const double a = rp[j] * warp_dot(sp + (long long)j * dim, dp, dim);
        if (lane() == 0) ap[j] = a;
        warp_axpy(-a, yp + (long long)j * dim, dp, dim);
    }
    if (c > 0) {
        const double h = h0[p];
        for (int i = lane(); i < dim; i += WARP) dp[i] = (T)__dmul_rn((double)dp[i], h);
    }
    __syncwarp(); // lane 0's alpha writes are read by every lane below
    for (int q = 0, j = (nw - c + 1 + m) % m; q < c; q++, j = (j + 1) % m) {
        const double beta = rp[j] * warp_dot(yp + (long long)j * dim, dp, dim);
        warp_axpy(ap[j] - beta, sp + (long long)j * dim, dp, dim);
    }
    const double gdv = warp_dot(gp, dp, dim), ddv = warp_dot(dp, dp, dim);
    if (lane() == 0) {
        gd[list_position()] = gdv;
        dd[list_position()] = ddv;
    }
}

// trial = x + stp d; same = the trial equals the last evaluated point in every element.
template <typename T>
__device__ void set_trial(const int* ids, int k, int dim, const T* x, const T* d, T* trial, const T* ex,
                          const double* stp, int* same) {
    const int p = warp_problem(ids, k);
    if (p < 0) return;
    const double a = stp[list_position()];
    const T *xp = row(x, p, dim), *dp = row(d, p, dim), *ep = row(ex, p, dim);
    T* tp = row(trial, p, dim);
    bool eq = true;
    for (int i = lane(); i < dim; i += WARP) {
        const T t = (T)__dadd_rn((double)xp[i], __dmul_rn(a, (double)dp[i]));
        tp[i] = t;
        eq &= t == ep[i];
    }
    eq = __all_sync(FULL_MASK, eq);
    if (lane() == 0) same[list_position()] = eq ? 1 : 0;
}

// out[w] = v[ids[w]]: compact rows for one copy to the host (the objective's trial points).
template <typename T>
__device__ void gather(const int* ids, int k, int dim, const T* v, T* out) {
    const int p = warp_problem(ids, k);
    if (p < 0) return;
    const T* vp = row(v, p, dim);
    T* op = out + (long long)list_position() * dim;
    for (int i = lane(); i < dim; i += WARP) op[i] = vp[i];
}

// The trial point was evaluated: ex = trial, eg = the gradient row the host uploaded.
template <typename T>
__device__ void store_evaluated(const int* ids, int k, int dim, const T* trial, const T* rows, T* ex, T* eg) {
    const int p = warp_problem(ids, k);
    if (p < 0) return;
    const T* tp = row(trial, p, dim);
    const T* rp = rows + (long long)list_position() * dim;
    T *ep = row(ex, p, dim), *gp = row(eg, p, dim);
    for (int i = lane(); i < dim; i += WARP) {
        ep[i] = tp[i];
        gp[i] = rp[i];
    }
}

// max |v_i| (NaN-free: non-finite components are reported by `finite`) and whether all are finite.
template <typename T>
__device__ void max_abs_finite(const T* v, int dim, double* max_abs, bool* finite) {
    double mx = 0.0;
    bool fin = true;
    for (int i = lane(); i < dim; i += WARP) {
        const double e = (double)v[i];
        fin &= isfinite(e);
        mx = fmax(mx, fabs(e));
    }
    *max_abs = warp_max(mx);
    *finite = __all_sync(FULL_MASK, fin);
}

// Start: g = eg; max |g_i| and whether g is finite.
template <typename T>
__device__ void adopt_start(const int* ids, int k, int dim, const T* eg, T* g, double* max_abs, int* finite) {
    const int p = warp_problem(ids, k);
    if (p < 0) return;
    const T* ep = row(eg, p, dim);
    T* gp = row(g, p, dim);
    for (int i = lane(); i < dim; i += WARP) gp[i] = ep[i];
    double mx;
    bool fin;
    max_abs_finite(gp, dim, &mx, &fin);
    if (lane() == 0) {
        max_abs[list_position()] = mx;
        finite[list_position()] = fin ? 1 : 0;
    }
}

// gd = eg'd at the last evaluated point, and whether eg is finite.
template <typename T>
__device__ void directional(const int* ids, int k, int dim, const T* eg, const T* d, double* gd, int* finite) {
    const int p = warp_problem(ids, k);
    if (p < 0) return;
    const T *ep = row(eg, p, dim), *dp = row(d, p, dim);
    bool fin = true;
    for (int i = lane(); i < dim; i += WARP) fin &= isfinite((double)ep[i]);
    fin = __all_sync(FULL_MASK, fin);
    const double s = warp_dot(ep, dp, dim);
    if (lane() == 0) {
        gd[list_position()] = s;
        finite[list_position()] = fin ? 1 : 0;
    }
}

// Accepts the evaluated point: yt = eg - g, x = trial, g = eg, yy = yt'yt; max |g_i|. (The trial
// equals the evaluated point, but only up to the sign of zeros when the host skipped evaluating a
// repeated point; copying the trial, as the host does, keeps even those bits the same.)
template <typename T>
__device__ void finish(const int* ids, int k, int dim, const T* trial, const T* eg, T* x, T* g, T* yt, double* yy,
                       double* max_abs) {
    const int p = warp_problem(ids, k);
    if (p < 0) return;
    const T *ep = row(trial, p, dim), *egp = row(eg, p, dim);
    T *xp = row(x, p, dim), *gp = row(g, p, dim), *yp = row(yt, p, dim);
    for (int i = lane(); i < dim; i += WARP) {
        yp[i] = (T)__dadd_rn((double)egp[i], -(double)gp[i]);
        xp[i] = ep[i];
        gp[i] = egp[i];
    }
    const double yyv = warp_dot(yp, yp, dim);
    double mx;
    bool fin;
    max_abs_finite(gp, dim, &mx, &fin); // g was checked finite by the line search
    if (lane() == 0) {
        yy[p] = yyv;
        max_abs[list_position()] = mx;
    }
}

// Pushes (s, y) = (stp d, yt) as the newest pair: rho = 1 / sy, h0 = sy / yy (LbfgsMemory.push).
template <typename T>
__device__ void push(const int* ids, int k, int dim, int m, const T* d, const T* yt, T* s, T* y, double* rho,
                     double* h0, const double* yy, int* count, int* newest, const double* stp, const double* sy) {
    const int p = warp_problem(ids, k);
    if (p < 0) return;
    const int slot = (newest[p] + 1) % m;
    const double a = stp[list_position()], syv = sy[list_position()];
    const T *dp = row(d, p, dim), *ytp = row(yt, p, dim);
    T* sp = s + ((long long)p * m + slot) * dim;
    T* yp = y + ((long long)p * m + slot) * dim;
    for (int i = lane(); i < dim; i += WARP) {
        sp[i] = (T)__dmul_rn(a, (double)dp[i]);
        yp[i] = ytp[i];
    }
    __syncwarp(); // every lane has read newest[p] before lane 0 moves it
    if (lane() == 0) {
        newest[p] = slot;
        rho[(long long)p * m + slot] = 1.0 / syv;
        h0[p] = syv / yy[p];
        count[p] = min(count[p] + 1, m);
    }
}

// Forgets every pair (the restart after a failed line search); also the initial state.
__device__ void clear(const int* ids, int k, int* count, int* newest) {
    const int p = warp_problem(ids, k);
    if (p < 0 || lane() != 0) return;
    count[p] = 0;
    newest[p] = -1;
}

#define LBFGS_KERNELS(T, SUF)                                                                                   \
    __global__ void __launch_bounds__(BLOCK_THREADS)                                                           \
        lbfgs_direction_##SUF(const int* ids, int k, int dim, int m, const T* g, T* d, const T* s, const T* y,  \
                              const double* rho, const double* h0, const int* count, const int* newest,        \
                              double* alpha, double* gd, double* dd) {                                         \
        direction(ids, k, dim, m, g, d, s, y, rho, h0, count, newest, alpha, gd, dd);                          \
    }                                                                                                          \
    __global__ void __launch_bounds__(BLOCK_THREADS)                                                           \
        lbfgs_set_trial_##SUF(const int* ids, int k, int dim, const T* x, const T* d, T* trial, const T* ex,   \
                              const double* stp, int* same) {                                                  \
        set_trial(ids, k, dim, x, d, trial, ex, stp, same);                                                    \
    }                                                                                                          \
    __global__ void __launch_bounds__(BLOCK_THREADS)                                                           \
        lbfgs_gather_##SUF(const int* ids, int k, int dim, const T* v, T* out) {                               \
        gather(ids, k, dim, v, out);                                                                           \
    }                                                                                                          \
    __global__ void __launch_bounds__(BLOCK_THREADS) lbfgs_store_evaluated_##SUF(                              \
        const int* ids, int k, int dim, const T* trial, const T* rows, T* ex, T* eg) {                         \
        store_evaluated(ids, k, dim, trial, rows, ex, eg);                                                     \
    }                                                                                                          \
    __global__ void __launch_bounds__(BLOCK_THREADS)                                                           \
        lbfgs_adopt_start_##SUF(const int* ids, int k, int dim, const T* eg, T* g, double* max_abs,            \
                                int* finite) {                                                                 \
        adopt_start(ids, k, dim, eg, g, max_abs, finite);                                                      \
    }                                                                                                          \
    __global__ void __launch_bounds__(BLOCK_THREADS)                                                           \
        lbfgs_directional_##SUF(const int* ids, int k, int dim, const T* eg, const T* d, double* gd,           \
                                int* finite) {                                                                 \
        directional(ids, k, dim, eg, d, gd, finite);                                                           \
    }                                                                                                          \
    __global__ void __launch_bounds__(BLOCK_THREADS)                                                           \
        lbfgs_finish_##SUF(const int* ids, int k, int dim, const T* trial, const T* eg, T* x, T* g, T* yt,     \
                           double* yy, double* max_abs) {                                                      \
        finish(ids, k, dim, trial, eg, x, g, yt, yy, max_abs);                                                 \
    }                                                                                                          \
    __global__ void __launch_bounds__(BLOCK_THREADS)                                                           \
        lbfgs_push_##SUF(const int* ids, int k, int dim, int m, const T* d, const T* yt, T* s, T* y,           \
                         double* rho, double* h0, const double* yy, int* count, int* newest, const double* stp, \
                         const double* sy) {                                                                   \
        push(ids, k, dim, m, d, yt, s, y, rho, h0, yy, count, newest, stp, sy);                                \
    }                                                                                                          \
    __global__ void __launch_bounds__(BLOCK_THREADS)                                                           \
        lbfgs_clear_##SUF(const int* ids, int k, int* count, int* newest) {                                    \
        clear(ids, k, count, newest);                                                                          \
    }

extern "C" {
LBFGS_KERNELS(double, f64)
LBFGS_KERNELS(float, f32)
}
