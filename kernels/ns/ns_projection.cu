// Pressure projection (PressureProjection.java) batched over problems: P a = M a - D_M^T q with
// A q = D_M a solved by preconditioned conjugate gradients, each problem on its own. MIC(0), the
// CPU's preconditioner, is a sequential triangular sweep; the device has two parallel ones, both
// SPD and built from the open mask only (same projection, different iteration counts, docs/ns.md):
// Jacobi (z = r / diag A, 0 where diag A = 0, fused into update and direction) and red-black
// SSOR (ns_ssor_black, ns_ssor_red: two launches per application, about half Jacobi's iterations).
//
// Cell kernels: blocks of BLOCK_THREADS cells of one problem (ns_common.cuh, CellBlock), so a
// finished problem's blocks return at once. Per-problem scalars never leave the device:
//   partials: chunk partials in double, [slot][problems * chunks] (slots below);
//   rz[2][problems]: r.z before the iteration, ping-pong by iteration parity, so a kernel reads
//     one slot while chunk 0 of each problem writes the other: no block reads what another block
//     of the same launch writes;
//   done[2][problems]: -1 while a problem iterates, else the iteration count at which it stopped
//     (CG's test |r|^2 <= stop), ping-pong like rz;
//   stop[problems]: max(tol^2 |D_M a|^2, floor^2 |M a|^2), the CPU's stopping rule.
// With Jacobi, iteration `it` is three launches: ns_cg_poisson_dot (Ad = A d, partial d.Ad),
// ns_cg_update (alpha from those partials; q += alpha d, r -= alpha Ad; partials r.r, r.z),
// ns_cg_direction (beta from those partials; d = z + beta d; next rz and done). With SSOR it is
// five: ns_cg_poisson_dot, ns_cg_residual_update (partial r.r only), ns_ssor_black, ns_ssor_red
// (z and the partial r.z), ns_cg_direction_z (d = z + beta d). Every block of a problem sums the
// same partials in the same order (problem_sum), so all of them use bit-identical alpha and beta.
#include "ns_common.cuh"

enum { P_RR = 0, P_RZ = 1, P_AA = 2, P_PAP = 3, P_SLOTS = 4 };

#include "ns_multigrid.cuh"

template <typename T>
__device__ T inv_diag(const int* open, const NsGrid& g, int i, int j) {
    const int n = open[g.u(i, j)] + open[g.u(i + 1, j)] + open[g.v(i, j)] + open[g.v(i, j + 1)];
    return n == 0 ? T(0) : T(1) / T(n);
}

// rhs = D_M a (PressureProjection.divergence, same order of operations); CG start q = 0, r = rhs,
// d = z = r / diag; partials of r.r, r.z and |M a|^2 (cell (i, j) counts faces u(i, j) and v(i, j):
// every open face is one of those, the others are walls).
template <typename T>
__device__ void cg_start(const T* a, const int* open, NsGrid g, int chunks, T* q, T* r, T* d, double* partials, int problems) {
    __shared__ double sh[BLOCK_THREADS];
    const int cells = g.cells(), size = g.size();
    const CellBlock b = cell_block(cells, chunks);
    const long long stride = (long long)problems * chunks;
    double rr = 0.0, rz = 0.0, aa = 0.0;
    if (b.cell < cells) {
        const int i = b.cell % g.w, j = b.cell / g.w;
        const T* ap = a + (long long)b.problem * size;
        auto at = [&](int f) { return open[f] ? ap[f] : T(0); };
        const T div = at(g.u(i + 1, j)) - at(g.u(i, j)) + at(g.v(i, j + 1)) - at(g.v(i, j));
        const T z = div * inv_diag<T>(open, g, i, j);
        const long long c = (long long)b.problem * cells + b.cell;
        q[c] = T(0);
        r[c] = div;
        d[c] = z;
        rr = (double)div * (double)div;
        rz = (double)div * (double)z;
        const double au = at(g.u(i, j)), av = at(g.v(i, j));
        aa = au * au + av * av;
    }
    block_partial(rr, sh, partials + P_RR * stride, b, chunks);
    block_partial(rz, sh, partials + P_RZ * stride, b, chunks);
    block_partial(aa, sh, partials + P_AA * stride, b, chunks);
}

// One block per problem (gridDim.x = problems): rz slot 0, stop, done slot 0 (iteration 0 runs
// only where |r|^2 > stop). The sums are problem_sum's, as in every later kernel.
__device__ void cg_start_scalars(const double* partials, int chunks, int problems, double tol2, double floor2,
                                 double* rz, double* stop, int* done) {
    const long long stride = (long long)problems * chunks;
    const int p = blockIdx.x;
    const double rr = problem_sum(partials + P_RR * stride, p, chunks);
    const double rzp = problem_sum(partials + P_RZ * stride, p, chunks);
    const double aa = problem_sum(partials + P_AA * stride, p, chunks);
    if (threadIdx.x == 0) {
        const double s = fmax(tol2 * rr, floor2 * aa);
        rz[p] = rzp;
        stop[p] = s;
        done[p] = rr > s ? -1 : 0;
    }
}

// Ad = A d (PressureProjection.poisson: west, east, south, north open faces in that order) and
// the partial of d.Ad.
template <typename T>
__device__ void cg_poisson_dot(const T* d, T* ad, const int* open, NsGrid g, int chunks, const int* done,
                               double* partials, int problems) {
    __shared__ double sh[BLOCK_THREADS];
    const int cells = g.cells();
    const CellBlock b = cell_block(cells, chunks);
    if (done[b.problem] >= 0) return;  // whole block: one problem
    double pap = 0.0;
    if (b.cell < cells) {
        const int i = b.cell % g.w, j = b.cell / g.w, w = g.w;
        const long long c = (long long)b.problem * cells + b.cell;
        T acc = T(0);
        if (open[g.u(i, j)]) acc += d[c] - d[c - 1];
        if (open[g.u(i + 1, j)]) acc -= d[c + 1] - d[c];
        if (open[g.v(i, j)]) acc += d[c] - d[c - w];
        if (open[g.v(i, j + 1)]) acc -= d[c + w] - d[c];
        ad[c] = acc;
        pap = (double)d[c] * (double)acc;
    }
    block_partial(pap, sh, partials + P_PAP * (long long)problems * chunks, b, chunks);
}

// alpha = rz / d.Ad; q += alpha d; r -= alpha Ad; partial of r.r, and with JACOBI the partial of
// r.z, z = r / diag (otherwise the preconditioner's last sweep, ns_ssor_red, writes that partial).
template <typename T, bool JACOBI>
__device__ void cg_update(T* q, T* r, const T* d, const T* ad, const int* open, NsGrid g, int chunks, const double* rzSlot,
                          const int* done, double* partials, int problems) {
    __shared__ double sh[BLOCK_THREADS];
    const int cells = g.cells();
    const CellBlock b = cell_block(cells, chunks);
    if (done[b.problem] >= 0) return;
    const long long stride = (long long)problems * chunks;
    const double alpha = rzSlot[b.problem] / problem_sum(partials + P_PAP * stride, b.problem, chunks);
    double rr = 0.0, rz = 0.0;
    if (b.cell < cells) {
        const long long c = (long long)b.problem * cells + b.cell;
        const T ta = T(alpha);
        q[c] += ta * d[c];
        const T rc = r[c] - ta * ad[c];
        r[c] = rc;
        rr = (double)rc * (double)rc;
        if constexpr (JACOBI) rz = (double)rc * (double)(rc * inv_diag<T>(open, g, b.cell % g.w, b.cell / g.w));
    }
    block_partial(rr, sh, partials + P_RR * stride, b, chunks);
    if constexpr (JACOBI) block_partial(rz, sh, partials + P_RZ * stride, b, chunks);
}

// beta = r.z (new) / r.z (old); d = z + beta d (JACOBI: z = src / diag, else z = src, the
// preconditioner's output); chunk 0 writes the next rz and done slots.
template <typename T, bool JACOBI>
__device__ void cg_direction(T* d, const T* src, const int* open, NsGrid g, int chunks, const double* partials,
                             const double* rzIn, double* rzOut, const double* stop, const int* doneIn, int* doneOut,
                             int iteration, int problems) {
    const int cells = g.cells();
    const CellBlock b = cell_block(cells, chunks);
    const int was = doneIn[b.problem];
    if (was >= 0) {
        if (b.chunk == 0 && threadIdx.x == 0) {
            doneOut[b.problem] = was;
            rzOut[b.problem] = rzIn[b.problem];
        }
        return;
    }
    const long long stride = (long long)problems * chunks;
    const double rr = problem_sum(partials + P_RR * stride, b.problem, chunks);
    const double rzNew = problem_sum(partials + P_RZ * stride, b.problem, chunks);
    const double beta = rzNew / rzIn[b.problem];
    if (b.cell < cells) {
        const long long c = (long long)b.problem * cells + b.cell;
        const T z = JACOBI ? src[c] * inv_diag<T>(open, g, b.cell % g.w, b.cell / g.w) : src[c];
        d[c] = z + T(beta) * d[c];
    }
    if (b.chunk == 0 && threadIdx.x == 0) {
        rzOut[b.problem] = rzNew;
        doneOut[b.problem] = rr > stop[b.problem] ? -1 : iteration + 1;
    }
}

// Red-black symmetric SOR preconditioner, z = M^-1 r with one SSOR step from z = 0 (cells (i, j)
// red when i + j is even; only open faces couple cells, as in the Poisson stencil; a cell without
// open faces gets z = 0, like Jacobi's). The four half-sweeps forward red, forward black, backward
// black, backward red collapse to two launches: from z = 0 the forward red sweep is
// z_R = omega r_R / D_R, pointwise, so ns_ssor_black computes it on the fly for its neighbours;
// the backward black sweep sees the same red values as the forward one, so it only scales by
// (2 - omega). Hence
//   black: z_B = omega (2 - omega) (r_B + sum over open neighbours of omega r_R / D_R) / D_B
//   red:   z_R = (omega (1 - omega) r_R + omega (r_R + sum over open neighbours of z_B)) / D_R
// M = omega / (2 - omega) (D / omega + L) D^-1 (D / omega + L^T) is SPD for 0 < omega < 2, so
// PCG stays valid and converges to the same q; the adjoint solve uses the same M. Within a launch
// a thread reads only values the previous launch wrote (black reads r, red reads the black z),
// so no block reads what another block of the same launch writes. `start` != 0 at the CG start:
// every problem runs (done is not set yet) and ns_ssor_red also writes the first direction d = z.
template <typename T>
__device__ void ssor_black(const T* r, T* z, const int* open, NsGrid g, int chunks, T omega, const int* done, int start,
                           int problems) {
    const int cells = g.cells();
    const CellBlock b = cell_block(cells, chunks);
    if (!start && done[b.problem] >= 0) return;
    if (b.cell >= cells) return;
    const int i = b.cell % g.w, j = b.cell / g.w, w = g.w;
    if (((i + j) & 1) == 0) return;
    const long long c = (long long)b.problem * cells + b.cell;
    const int n = open[g.u(i, j)] + open[g.u(i + 1, j)] + open[g.v(i, j)] + open[g.v(i, j + 1)];
    if (n == 0) { z[c] = T(0); return; }
    T acc = r[c];
    if (open[g.u(i, j)]) acc += omega * r[c - 1] * inv_diag<T>(open, g, i - 1, j);
    if (open[g.u(i + 1, j)]) acc += omega * r[c + 1] * inv_diag<T>(open, g, i + 1, j);
    if (open[g.v(i, j)]) acc += omega * r[c - w] * inv_diag<T>(open, g, i, j - 1);
    if (open[g.v(i, j + 1)]) acc += omega * r[c + w] * inv_diag<T>(open, g, i, j + 1);
    z[c] = omega * (T(2) - omega) * acc / T(n);
}

// The red half-sweep (above) and the partial of r.z over all cells (the black z are final).
template <typename T>
__device__ void ssor_red(const T* r, T* z, T* d, const int* open, NsGrid g, int chunks, T omega, const int* done, int start,
                         double* partials, int problems) {
    __shared__ double sh[BLOCK_THREADS];
    const int cells = g.cells();
    const CellBlock b = cell_block(cells, chunks);
    if (!start && done[b.problem] >= 0) return;  // whole block: one problem
    double rz = 0.0;
    if (b.cell < cells) {
        const int i = b.cell % g.w, j = b.cell / g.w, w = g.w;
        const long long c = (long long)b.problem * cells + b.cell;
        T zc;
        if (((i + j) & 1) == 0) {
            const int n = open[g.u(i, j)] + open[g.u(i + 1, j)] + open[g.v(i, j)] + open[g.v(i, j + 1)];
            if (n == 0) {
                zc = T(0);
            } else {
                T acc = r[c];
                if (open[g.u(i, j)]) acc += z[c - 1];
                if (open[g.u(i + 1, j)]) acc += z[c + 1];
                if (open[g.v(i, j)]) acc += z[c - w];
                if (open[g.v(i, j + 1)]) acc += z[c + w];
                zc = (omega * (T(1) - omega) * r[c] + omega * acc) / T(n);
            }
            z[c] = zc;
        } else {
            zc = z[c];
        }
        if (start) d[c] = zc;
        rz = (double)r[c] * (double)zc;
    }
    block_partial(rz, sh, partials + P_RZ * (long long)problems * chunks, b, chunks);
}

// out = M a - D_M^T q (PressureProjection.apply): one thread per (problem, face); out may alias a.
template <typename T>
__device__ void project_subtract(const T* a, const T* q, const int* open, NsGrid g, int problems, T* out) {
    const int size = g.size(), uSize = g.uSize(), cells = g.cells(), w = g.w;
    FOR_EACH_INDEX(idx, (long long)problems * size) {
        const int f = (int)(idx % size);
        const T* qp = q + (idx / size) * cells;
        if (!open[f]) { out[idx] = T(0); continue; }
        if (f < uSize) {
            const int i = f % (w + 1), j = f / (w + 1);
            out[idx] = a[idx] - qp[j * w + i - 1] + qp[j * w + i];
        } else {
            const int i = (f - uSize) % w, j = (f - uSize) / w;
            out[idx] = a[idx] - qp[(j - 1) * w + i] + qp[j * w + i];
        }
    }
}

#define NS_PROJECTION_ENTRIES(T, S)                                                                                     \
    __global__ void __launch_bounds__(BLOCK_THREADS) ns_cg_start_##S(const T* a, const int* open, int w, int h, int chunks, \
                                                                     T* q, T* r, T* d, double* partials, int problems) { \
        cg_start<T>(a, open, NsGrid{w, h}, chunks, q, r, d, partials, problems);                                        \
    }                                                                                                                   \
    __global__ void __launch_bounds__(BLOCK_THREADS) ns_cg_poisson_dot_##S(const T* d, T* ad, const int* open, int w,      \
                                                                           int h, int chunks, const int* done,          \
                                                                           double* partials, int problems) {            \
        cg_poisson_dot<T>(d, ad, open, NsGrid{w, h}, chunks, done, partials, problems);                                 \
    }                                                                                                                   \
    __global__ void __launch_bounds__(BLOCK_THREADS) ns_cg_update_##S(T* q, T* r, const T* d, const T* ad, const int* open, \
                                                                      int w, int h, int chunks, const double* rz,       \
                                                                      const int* done, double* partials, int problems) { \
        cg_update<T, true>(q, r, d, ad, open, NsGrid{w, h}, chunks, rz, done, partials, problems);                      \
    }                                                                                                                   \
    __global__ void __launch_bounds__(BLOCK_THREADS) ns_cg_residual_update_##S(                                         \
        T* q, T* r, const T* d, const T* ad, int w, int h, int chunks, const double* rz, const int* done,              \
        double* partials, int problems) {                                                                               \
        cg_update<T, false>(q, r, d, ad, nullptr, NsGrid{w, h}, chunks, rz, done, partials, problems);                  \
    }                                                                                                                   \
    __global__ void __launch_bounds__(BLOCK_THREADS) ns_cg_direction_##S(                                               \
        T* d, const T* r, const int* open, int w, int h, int chunks, const double* partials, const double* rzIn,         \
        double* rzOut, const double* stop, const int* doneIn, int* doneOut, int iteration, int problems) {              \
        cg_direction<T, true>(d, r, open, NsGrid{w, h}, chunks, partials, rzIn, rzOut, stop, doneIn, doneOut, iteration, \
                              problems);                                                                                \
    }                                                                                                                   \
    __global__ void __launch_bounds__(BLOCK_THREADS) ns_cg_direction_z_##S(                                             \
        T* d, const T* z, int w, int h, int chunks, const double* partials, const double* rzIn, double* rzOut,          \
        const double* stop, const int* doneIn, int* doneOut, int iteration, int problems) {                             \
        cg_direction<T, false>(d, z, nullptr, NsGrid{w, h}, chunks, partials, rzIn, rzOut, stop, doneIn, doneOut,       \
                               iteration, problems);                                                                    \
    }                                                                                                                   \
    __global__ void __launch_bounds__(BLOCK_THREADS) ns_ssor_black_##S(const T* r, T* z, const int* open, int w, int h,   \
                                                                       int chunks, T omega, const int* done, int start, \
                                                                       int problems) {                                  \
        ssor_black<T>(r, z, open, NsGrid{w, h}, chunks, omega, done, start, problems);                                  \
    }                                                                                                                   \
    __global__ void __launch_bounds__(BLOCK_THREADS) ns_ssor_red_##S(const T* r, T* z, T* d, const int* open, int w,      \
                                                                     int h, int chunks, T omega, const int* done,       \
                                                                     int start, double* partials, int problems) {       \
        ssor_red<T>(r, z, d, open, NsGrid{w, h}, chunks, omega, done, start, partials, problems);                       \
    }                                                                                                                   \
    __global__ void __launch_bounds__(BLOCK_THREADS) ns_mg_presmooth_##S(const T* b, T* z, const int* east,              \
                                                                         const int* north, int w, int h, int chunks,    \
                                                                         const int* done, int start) {                  \
        mg_presmooth<T>(b, z, MgLevel{east, north, w, h}, chunks, done, start);                                         \
    }                                                                                                                   \
    __global__ void __launch_bounds__(BLOCK_THREADS) ns_mg_smooth_##S(                                                  \
        const T* b, T* z, T* d, const int* east, const int* north, int w, int h, int chunks, int colour, const int* done, \
        int start, int rzPartial, double* partials, int problems) {                                                     \
        mg_smooth<T>(b, z, d, MgLevel{east, north, w, h}, chunks, colour, done, start, rzPartial,                       \
                     partials + P_RZ * (long long)problems * chunks);                                                   \
    }                                                                                                                   \
    __global__ void __launch_bounds__(BLOCK_THREADS) ns_mg_restrict_##S(const T* b, const T* z, const int* east,         \
                                                                        const int* north, int w, int h, T* bc, int wc,  \
                                                                        int hc, int chunksC, const int* done,           \
                                                                        int start) {                                    \
        mg_restrict<T>(b, z, MgLevel{east, north, w, h}, bc, wc, hc, chunksC, done, start);                             \
    }                                                                                                                   \
    __global__ void __launch_bounds__(BLOCK_THREADS) ns_mg_correct_##S(T* z, const T* zc, const int* east,               \
                                                                       const int* north, int w, int h, int wc, int hc,  \
                                                                       T scale, int chunks, const int* done,            \
                                                                       int start) {                                     \
        mg_correct<T>(z, zc, MgLevel{east, north, w, h}, wc, hc, scale, chunks, done, start);                           \
    }                                                                                                                   \
    __global__ void __launch_bounds__(BLOCK_THREADS) ns_mg_coarsest_##S(const T* b, T* z, const int* east,               \
                                                                        const int* north, int w, int h,                 \
                                                                        const int* done, int start) {                   \
        mg_coarsest<T>(b, z, MgLevel{east, north, w, h}, done, start);                                                  \
    }                                                                                                                   \
    __global__ void __launch_bounds__(BLOCK_THREADS) ns_project_subtract_##S(const T* a, const T* q, const int* open,     \
                                                                             int w, int h, int problems, T* out) {      \
        project_subtract<T>(a, q, open, NsGrid{w, h}, problems, out);                                                   \
    }

extern "C" {
NS_PROJECTION_ENTRIES(double, f64)
NS_PROJECTION_ENTRIES(float, f32)

// Doubles and ints only: one symbol serves both dtypes.
__global__ void __launch_bounds__(BLOCK_THREADS) ns_cg_start_scalars_f64(const double* partials, int chunks, int problems,
                                                                       double tol2, double floor2, double* rz, double* stop,
                                                                       int* done) {
    cg_start_scalars(partials, chunks, problems, tol2, floor2, rz, stop, done);
}
}
