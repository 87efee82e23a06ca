// Geometric multigrid V-cycle as the projection CG's preconditioner (included by ns_projection.cu).
//
// Levels: level 0 is the cell grid; level l + 1 aggregates 2 x 2 cells of level l (ceil(w / 2) x
// ceil(h / 2)) down to at most 4 x 4. Each level's operator is the Galerkin P^T A P of the
// piecewise-constant aggregation, which for A = D_M D_M^T is again a graph Laplacian: the coupling
// of two neighbouring aggregates is the number of open fine faces between them (east[c]: cell c to
// c + 1, north[c]: c to c + w, 0 at the last column / row), the diagonal their sum. Walls and
// obstacles therefore carry down exactly; level 0's couplings are the open mask's, so level 0 is the
// Poisson stencil of ns_cg_poisson_dot. The couplings are built on the host (NsMultigrid.java),
// one int array per level shared by all problems.
//
// One V-cycle from z = 0 on level l with right-hand side b (level 0: b = r):
//   ns_mg_presmooth   red then black Gauss-Seidel from z = 0 (red pointwise, computed on the fly)
//   ns_mg_restrict    b' = P^T (b - A z), one thread per coarse cell
//   (level l + 1, or ns_mg_coarsest: one block per problem, COARSEST_SWEEPS symmetric sweeps)
//   ns_mg_correct     z += scale P z'
//   ns_mg_smooth      black, then red Gauss-Seidel (the pre-smoother's adjoint order)
// The post-smoother is the adjoint of the pre-smoother and the coarse solve is symmetric, so the
// V-cycle is a symmetric operator; with convergent smoothers and 0 < scale < 2 the coarse
// correction does not increase the A-norm of the error, so it is positive definite: PCG stays
// valid, the adjoint solve reuses it. Cells with D = 0 (solid, or fluid without open faces) get
// z = 0, like Jacobi's. Within a launch a thread reads only what the previous launches wrote (a
// colour sweep reads the other colour), so no block reads what another block of the launch writes.
// Every kernel skips problems already done, except at the CG start (`start` != 0: done not set yet).
#pragma once

enum { COARSEST_SWEEPS = 30 };

struct MgLevel {
    const int* east;
    const int* north;
    int w, h;
    __device__ int cells() const { return w * h; }
    __device__ int diag(int i, int j) const {
        const int c = j * w + i;
        return east[c] + north[c] + (i > 0 ? east[c - 1] : 0) + (j > 0 ? north[c - w] : 0);
    }
    // sum of coupling x neighbour value, x pointing at this problem's level values
    template <typename T>
    __device__ T neighbours(const T* x, int i, int j) const {
        const int c = j * w + i;
        T s = T(0);
        if (i > 0 && east[c - 1]) s += T(east[c - 1]) * x[c - 1];
        if (i + 1 < w && east[c]) s += T(east[c]) * x[c + 1];
        if (j > 0 && north[c - w]) s += T(north[c - w]) * x[c - w];
        if (j + 1 < h && north[c]) s += T(north[c]) * x[c + w];
        return s;
    }
};

__device__ inline bool mg_skip(const int* done, int problem, int start) { return !start && done[problem] >= 0; }

// Gauss-Seidel from z = 0: red (i + j even) z = b / D, black z = (b + sum c (b_n / D_n)) / D.
template <typename T>
__device__ void mg_presmooth(const T* b, T* z, MgLevel L, int chunks, const int* done, int start) {
    const int cells = L.cells();
    const CellBlock k = cell_block(cells, chunks);
    if (mg_skip(done, k.problem, start) || k.cell >= cells) return;
    const int i = k.cell % L.w, j = k.cell / L.w, w = L.w;
    const long long base = (long long)k.problem * cells;
    const T* bp = b + base;
    const int d = L.diag(i, j);
    T zc = T(0);
    if (d > 0) {
        if (((i + j) & 1) == 0) {
            zc = bp[k.cell] / T(d);
        } else {
            const int c = k.cell;
            T s = bp[c];
            if (i > 0 && L.east[c - 1]) s += T(L.east[c - 1]) * bp[c - 1] / T(L.diag(i - 1, j));
            if (i + 1 < w && L.east[c]) s += T(L.east[c]) * bp[c + 1] / T(L.diag(i + 1, j));
            if (j > 0 && L.north[c - w]) s += T(L.north[c - w]) * bp[c - w] / T(L.diag(i, j - 1));
            if (j + 1 < L.h && L.north[c]) s += T(L.north[c]) * bp[c + w] / T(L.diag(i, j + 1));
            zc = s / T(d);
        }
    }
    z[base + k.cell] = zc;
}

// One Gauss-Seidel half-sweep over `colour` (0 red, 1 black): z = (b + sum c z_n) / D. With
// rzPartial (level 0's last sweep): the partial of b.z over all cells (b = r), and at the start
// also the first direction d = z.
template <typename T>
__device__ void mg_smooth(const T* b, T* z, T* d, MgLevel L, int chunks, int colour, const int* done, int start, int rzPartial,
                          double* partials) {
    __shared__ double sh[BLOCK_THREADS];
    const int cells = L.cells();
    const CellBlock k = cell_block(cells, chunks);
    if (mg_skip(done, k.problem, start)) return;  // whole block: one problem
    double rz = 0.0;
    if (k.cell < cells) {
        const int i = k.cell % L.w, j = k.cell / L.w;
        const long long c = (long long)k.problem * cells + k.cell;
        T zc;
        if (((i + j) & 1) == colour) {
            const int dg = L.diag(i, j);
            zc = dg > 0 ? (b[c] + L.neighbours(z + (long long)k.problem * cells, i, j)) / T(dg) : T(0);
            z[c] = zc;
        } else {
            zc = z[c];
        }
        if (rzPartial && start) d[c] = zc;
        rz = (double)b[c] * (double)zc;
    }
    if (rzPartial) block_partial(rz, sh, partials, k, chunks);
}

// bc = P^T (b - A z): one thread per coarse cell, summing its (up to four) fine cells in a fixed
// order. P leaves out cells with D = 0 both here and in mg_correct, so the V-cycle is symmetric
// for any input (in CG, r is 0 there anyway).
template <typename T>
__device__ void mg_restrict(const T* b, const T* z, MgLevel L, T* bc, int wc, int hc, int chunksC, const int* done, int start) {
    const int cellsC = wc * hc, cells = L.cells();
    const CellBlock k = cell_block(cellsC, chunksC);
    if (mg_skip(done, k.problem, start) || k.cell >= cellsC) return;
    const int I = k.cell % wc, J = k.cell / wc;
    const T* bp = b + (long long)k.problem * cells;
    const T* zp = z + (long long)k.problem * cells;
    T s = T(0);
#pragma unroll
    for (int child = 0; child < 4; child++) {  // (0, 0), (1, 0), (0, 1), (1, 1): row by row, as the CPU reference
        const int i = 2 * I + (child & 1), j = 2 * J + (child >> 1);
        if (i >= L.w || j >= L.h) continue;
        const int c = j * L.w + i, dg = L.diag(i, j);
        if (dg > 0) s += bp[c] - (T(dg) * zp[c] - L.neighbours(zp, i, j));  // P's rows: cells with D > 0, as in mg_correct
    }
    bc[(long long)k.problem * cellsC + k.cell] = s;
}

// z += scale zc[parent] where D > 0.
template <typename T>
__device__ void mg_correct(T* z, const T* zc, MgLevel L, int wc, int hc, T scale, int chunks, const int* done, int start) {
    const int cells = L.cells();
    const CellBlock k = cell_block(cells, chunks);
    if (mg_skip(done, k.problem, start) || k.cell >= cells) return;
    const int i = k.cell % L.w, j = k.cell / L.w;
    if (L.diag(i, j) == 0) return;
    z[(long long)k.problem * cells + k.cell] += scale * zc[(long long)k.problem * wc * hc + (j / 2) * wc + i / 2];
}

// The coarsest level (cells <= BLOCK_THREADS, checked on the host): one block per problem, thread
// = cell, COARSEST_SWEEPS symmetric Gauss-Seidel steps (red, black, black, red) from z = 0.
template <typename T>
__device__ void mg_coarsest(const T* b, T* z, MgLevel L, const int* done, int start) {
    const int cells = L.cells(), p = blockIdx.x;
    if (mg_skip(done, p, start)) return;  // whole block
    const int c = threadIdx.x, i = c % L.w, j = c / L.w;
    const bool active = c < cells;
    const long long base = (long long)p * cells;
    const int colour = (i + j) & 1, dg = active ? L.diag(i, j) : 0;
    if (active) z[base + c] = T(0);
    __syncthreads();
    const int order[4] = {0, 1, 1, 0};
    for (int s = 0; s < COARSEST_SWEEPS; s++) {
        for (int h = 0; h < 4; h++) {
            if (active && colour == order[h] && dg > 0) z[base + c] = (b[base + c] + L.neighbours(z + base, i, j)) / T(dg);
            __syncthreads();
        }
    }
}
