// Forced Kuramoto-Sivashinsky solver and its adjoint on the GPU: the CUDA mirror of
// dev.reparam.sim.ks.KuramotoSivashinsky / EtdrkStep / EtdrkAdjoint (see docs/ks.md).
//
// One thread block per problem (gridDim.x = problems in the call), blockDim.x = max(32, N/2),
// the problem's spectra and FFT work array in dynamic shared memory; each kernel runs all time
// steps of its problem in one launch. Coefficients and twiddles come from one packed table
// (ks_fft.cuh, built on the host in double by EtdCoefficientTable). Problems never share data, so
// a problem's numbers do not depend on the rest of the batch, and a problem that blows up only
// stops itself.
//
// Dynamic shared memory, in units of T with M = N/2 + 1 (CudaKuramotoSivashinsky computes the
// same sizes):
//   ks_forward: state 2M, N(v) N(a) N(b) N(c) 8M, stage a 2M, stage b / c 2M, FFT work N
//   ks_adjoint: blockDim.x doubles (reductions), then state cotangent 2M, a work area of 14M
//               (the forward arrays while a segment is recomputed, the adjoint's afterwards),
//               FFT work N
#include "ks_fft.cuh"

// Largest block: N = 1024 points, N/2 threads (CudaKuramotoSivashinsky.MAX_POINTS). The bound
// keeps ptxas at or under 128 registers, which 512 threads of one block need (64K per SM).
#define KS_MAX_THREADS 512

// |u| beyond this (or NaN) at a step means the problem diverged (KuramotoSivashinsky.BLOW_UP).
#define KS_BLOW_UP 1e6

// The ETDRK4 stage spectra of one step, carved from shared memory.
template <typename T>
struct KsStepArrays {
    T *vr, *vi, *nvr, *nvi, *nar, *nai, *nbr, *nbi, *ncr, *nci, *ar, *ai, *xr, *xi;

    __device__ KsStepArrays(T* state, T* work, int modes) {
        vr = state; vi = vr + modes;
        nvr = work; nvi = nvr + modes; nar = nvi + modes; nai = nar + modes;
        nbr = nai + modes; nbi = nbr + modes; ncr = nbi + modes; nci = ncr + modes;
        ar = nci + modes; ai = ar + modes; xr = ai + modes; xi = xr + modes;
    }
};

// EtdrkStep.toGrid: z = N * irfft(x), then u = z / N in place. Returns (to every thread) whether
// any |u| exceeds KS_BLOW_UP or is NaN. With stage != null also stores u there (grid order).
template <typename T>
__device__ bool ks_to_grid(const T* xr, const T* xi, T* z, const KsTable<T>& tb, T* stage) {
    ks_rfft_inverse(z, tb, [&](int m, T& re, T& im) { re = xr[m]; im = xi[m]; });
    bool bad = false;
    for (int i = threadIdx.x; i < tb.n; i += blockDim.x) {
        int g = tb.grid_index(i);
        T u = z[g] / T(tb.n);
        bad |= !(fabs((double)u) <= KS_BLOW_UP);
        z[g] = u;
        if (stage != nullptr) stage[i] = u;
    }
    return __syncthreads_or(bad) != 0;
}

// EtdrkStep.nonlinear: out = N(x) = beta (-i k / 2) FFT(u^2) + alpha FFT(G), u = IFFT(x).
// Returns the blow-up flag of u.
template <typename T>
__device__ bool ks_nonlinear(const T* xr, const T* xi, T alpha, T beta, T* z, const KsTable<T>& tb, T* stage,
                             T* outR, T* outI) {
    bool bad = ks_to_grid(xr, xi, z, tb, stage);
    for (int i = threadIdx.x; i < tb.n; i += blockDim.x) z[i] = z[i] * z[i];
    __syncthreads();
    ks_rfft_forward(z, tb, [&](int m, T wr, T wi) {
        outR[m] = -beta * tb.g_im[m] * wi + alpha * tb.forcing_re[m];
        outI[m] = beta * tb.g_im[m] * wr + alpha * tb.forcing_im[m];
    });
    return bad;
}

// EtdrkStep.step: advances (vr, vi) by one ETDRK4 step in place. With stages != null stores the
// grid values of the four stages v, a, b, c there ([4][N]). Returns whether the state at the
// start of the step had blown up; with abandon the step then stops there (the problem is
// finished anyway). The adjoint's recomputation passes abandon = false: its steps were checked.
template <typename T>
__device__ bool ks_step(const KsStepArrays<T>& s, T alpha, T beta, T* z, const KsTable<T>& tb, T* stages,
                        bool abandon) {
    const int n = tb.n, modes = tb.modes;
    const bool blown = ks_nonlinear(s.vr, s.vi, alpha, beta, z, tb, stages, s.nvr, s.nvi);
    if (blown && abandon) return true;
    for (int m = threadIdx.x; m < modes; m += blockDim.x) {
        s.ar[m] = tb.e2[m] * s.vr[m] + tb.q[m] * s.nvr[m];
        s.ai[m] = tb.e2[m] * s.vi[m] + tb.q[m] * s.nvi[m];
    }
    __syncthreads();
    ks_nonlinear(s.ar, s.ai, alpha, beta, z, tb, stages == nullptr ? nullptr : stages + n, s.nar, s.nai);
    for (int m = threadIdx.x; m < modes; m += blockDim.x) {
        s.xr[m] = tb.e2[m] * s.vr[m] + tb.q[m] * s.nar[m];
        s.xi[m] = tb.e2[m] * s.vi[m] + tb.q[m] * s.nai[m];
    }
    __syncthreads();
    ks_nonlinear(s.xr, s.xi, alpha, beta, z, tb, stages == nullptr ? nullptr : stages + 2 * n, s.nbr, s.nbi);
    for (int m = threadIdx.x; m < modes; m += blockDim.x) {
        s.xr[m] = tb.e2[m] * s.ar[m] + tb.q[m] * (T(2) * s.nbr[m] - s.nvr[m]);
        s.xi[m] = tb.e2[m] * s.ai[m] + tb.q[m] * (T(2) * s.nbi[m] - s.nvi[m]);
    }
    __syncthreads();
    ks_nonlinear(s.xr, s.xi, alpha, beta, z, tb, stages == nullptr ? nullptr : stages + 3 * n, s.ncr, s.nci);
    for (int m = threadIdx.x; m < modes; m += blockDim.x) {
        s.vr[m] = tb.e[m] * s.vr[m] + tb.f1[m] * s.nvr[m] + T(2) * tb.f2[m] * (s.nar[m] + s.nbr[m]) + tb.f3[m] * s.ncr[m];
        s.vi[m] = tb.e[m] * s.vi[m] + tb.f1[m] * s.nvi[m] + T(2) * tb.f2[m] * (s.nai[m] + s.nbi[m]) + tb.f3[m] * s.nci[m];
    }
    __syncthreads();
    return blown;
}

// EtdrkStep.toSpectrum: (vr, vi) = FFT(u0 row).
template <typename T>
__device__ void ks_to_spectrum(const T* u0, T* vr, T* vi, T* z, const KsTable<T>& tb) {
    for (int i = threadIdx.x; i < tb.n; i += blockDim.x) z[tb.grid_index(i)] = u0[i];
    __syncthreads();
    ks_rfft_forward(z, tb, [&](int m, T re, T im) { vr[m] = re; vi[m] = im; });
}

// KuramotoSivashinsky.rollout for problem blockIdx.x: (alpha, beta) = params[2b, 2b+1], initial
// state u0s[rows[b] * N ..). Writes u(T) to uT[b * N ..) (NaN when diverged) and diverged[b];
// with checkpoints != null also the half spectrum (re then im, 2M values) at the start of steps
// 0, C, 2C, ... to checkpoints[(b * segments + s / C) * 2M ..).
template <typename T>
__device__ void ks_forward(const T* table, int points, int steps, int interval, const int* rows, const T* params,
                           const T* u0s, T* checkpoints, T* uT, int* diverged) {
    extern __shared__ __align__(16) unsigned char ks_shared[];
    const KsTable<T> tb(table, points);
    const int n = tb.n, modes = tb.modes, b = blockIdx.x;
    T* state = reinterpret_cast<T*>(ks_shared);
    T* work = state + 2 * modes;
    T* z = work + 12 * modes;
    const KsStepArrays<T> s(state, work, modes);
    const T alpha = params[2 * b], beta = params[2 * b + 1];
    const int segments = (steps + interval - 1) / interval;

    ks_to_spectrum(u0s + (long long)rows[b] * n, s.vr, s.vi, z, tb);
    bool blown = false;
    for (int step = 0; step < steps && !blown; step++) {
        if (checkpoints != nullptr && step % interval == 0) {
            T* c = checkpoints + ((long long)b * segments + step / interval) * 2 * modes;
            for (int m = threadIdx.x; m < 2 * modes; m += blockDim.x) c[m] = state[m];
        }
        blown = ks_step(s, alpha, beta, z, tb, (T*)nullptr, true);
    }
    if (!blown) blown = ks_to_grid(s.vr, s.vi, z, tb, (T*)nullptr);
    T* out = uT + (long long)b * n;
    for (int i = threadIdx.x; i < n; i += blockDim.x) out[i] = blown ? T(NAN) : z[tb.grid_index(i)];
    if (threadIdx.x == 0) diverged[b] = blown ? 1 : 0;
}

// The cotangent arrays of one adjoint step, carved from the same work area as KsStepArrays
// (the two are never live at once).
template <typename T>
struct KsAdjointArrays {
    T *vbr, *vbi, *nvr, *nvi, *nar, *nai, *nbr, *nbi, *ncr, *nci, *abr, *abi, *cbr, *cbi;

    __device__ KsAdjointArrays(T* cotangent, T* work, int modes) {
        vbr = cotangent; vbi = vbr + modes;
        nvr = work; nvi = nvr + modes; nar = nvi + modes; nai = nar + modes;
        nbr = nai + modes; nbi = nbr + modes; ncr = nbi + modes; nci = ncr + modes;
        abr = nci + modes; abi = abr + modes; cbr = abi + modes; cbi = cbr + modes;
    }
};

// EtdrkAdjoint.nonlinear: given the cotangent nb of N(x) at the stage with grid values u
// (global, grid order), writes that of x to (outR, outI); adds this call's alpha and beta
// cotangents to the thread's running partial sums (summed over the block once, at the end).
template <typename T>
__device__ void ks_nonlinear_adjoint(const T* nbR, const T* nbI, T beta, const T* u, T* z, const KsTable<T>& tb,
                                     T* outR, T* outI, double& alphaBar, double& betaBar) {
    for (int m = threadIdx.x; m < tb.modes; m += blockDim.x) {
        alphaBar += (double)tb.forcing_re[m] * (double)nbR[m] + (double)tb.forcing_im[m] * (double)nbI[m];
    }
    // conj(i gIm) nb / c: the cotangent of W = FFT(u^2) over beta, through the transpose of forward
    ks_rfft_inverse(z, tb, [&](int m, T& re, T& im) {
        re = tb.g_im[m] * nbI[m] / tb.weight(m);
        im = -tb.g_im[m] * nbR[m] / tb.weight(m);
    });
    for (int i = threadIdx.x; i < tb.n; i += blockDim.x) {
        int g = tb.grid_index(i);
        T ui = u[i], si = z[g];
        betaBar += (double)ui * (double)ui * (double)si;
        z[g] = T(2) * ui * beta * si;
    }
    __syncthreads();
    // u = inverse(x) / N transposes to c / N * forward(.)
    ks_rfft_forward(z, tb, [&](int m, T re, T im) {
        T w = tb.weight(m) / T(tb.n);
        outR[m] = re * w;
        outI[m] = im * w;
    });
}

// EtdrkAdjoint.step: replaces the cotangent (vbr, vbi) of the state after a step by that of the
// state before it; stages holds the step's four stage grids [4][N].
template <typename T>
__device__ void ks_step_adjoint(const KsAdjointArrays<T>& a, T beta, const T* stages, T* z, const KsTable<T>& tb,
                                double& alphaBar, double& betaBar) {
    const int n = tb.n, modes = tb.modes;
    // v' = E v + f1 N(v) + 2 f2 (N(a) + N(b)) + f3 N(c)
    for (int m = threadIdx.x; m < modes; m += blockDim.x) {
        a.nvr[m] = tb.f1[m] * a.vbr[m];
        a.nvi[m] = tb.f1[m] * a.vbi[m];
        a.nar[m] = T(2) * tb.f2[m] * a.vbr[m];
        a.nai[m] = T(2) * tb.f2[m] * a.vbi[m];
        a.nbr[m] = a.nar[m];
        a.nbi[m] = a.nai[m];
        a.ncr[m] = tb.f3[m] * a.vbr[m];
        a.nci[m] = tb.f3[m] * a.vbi[m];
        a.vbr[m] *= tb.e[m];
        a.vbi[m] *= tb.e[m];
    }
    __syncthreads();
    ks_nonlinear_adjoint(a.ncr, a.nci, beta, stages + 3 * n, z, tb, a.cbr, a.cbi, alphaBar, betaBar);
    // c = E2 a + Q (2 N(b) - N(v))
    for (int m = threadIdx.x; m < modes; m += blockDim.x) {
        a.abr[m] = tb.e2[m] * a.cbr[m];
        a.abi[m] = tb.e2[m] * a.cbi[m];
        a.nbr[m] += T(2) * tb.q[m] * a.cbr[m];
        a.nbi[m] += T(2) * tb.q[m] * a.cbi[m];
        a.nvr[m] -= tb.q[m] * a.cbr[m];
        a.nvi[m] -= tb.q[m] * a.cbi[m];
    }
    __syncthreads();
    // the cotangent of N(c) is spent: its arrays take that of stage b
    T* bbr = a.ncr;
    T* bbi = a.nci;
    ks_nonlinear_adjoint(a.nbr, a.nbi, beta, stages + 2 * n, z, tb, bbr, bbi, alphaBar, betaBar);
    // b = E2 v + Q N(a)
    for (int m = threadIdx.x; m < modes; m += blockDim.x) {
        a.vbr[m] += tb.e2[m] * bbr[m];
        a.vbi[m] += tb.e2[m] * bbi[m];
        a.nar[m] += tb.q[m] * bbr[m];
        a.nai[m] += tb.q[m] * bbi[m];
    }
    __syncthreads();
    ks_nonlinear_adjoint(a.nar, a.nai, beta, stages + n, z, tb, a.cbr, a.cbi, alphaBar, betaBar);
    // a = E2 v + Q N(v)
    for (int m = threadIdx.x; m < modes; m += blockDim.x) {
        a.abr[m] += a.cbr[m];
        a.abi[m] += a.cbi[m];
        a.vbr[m] += tb.e2[m] * a.abr[m];
        a.vbi[m] += tb.e2[m] * a.abi[m];
        a.nvr[m] += tb.q[m] * a.abr[m];
        a.nvi[m] += tb.q[m] * a.abi[m];
    }
    __syncthreads();
    ks_nonlinear_adjoint(a.nvr, a.nvi, beta, stages, z, tb, a.cbr, a.cbi, alphaBar, betaBar);
    for (int m = threadIdx.x; m < modes; m += blockDim.x) {
        a.vbr[m] += a.cbr[m];
        a.vbi[m] += a.cbi[m];
    }
    __syncthreads();
}

// KuramotoSivashinsky.problemGradient for problem blockIdx.x after ks_forward wrote its u(T),
// diverged flag and checkpoints: loss[b] = mean (u(T) - y)^2 with y = targets[rows[b] * N ..),
// grad[2b, 2b+1] = d loss / d (alpha, beta), gradU0[b * N ..) = d loss / d u0 when not null.
// A diverged problem gets loss +inf and zero gradients. The reverse pass walks the checkpoint
// segments backwards: each is recomputed from its checkpoint by the same ks_step code as
// ks_forward (the same values, unless ptxas contracts the two inlined copies into FMAs
// differently: then within rounding), storing its stage grids in stages[b * C * 4N ..), then
// reversed step by step.
template <typename T>
__device__ void ks_adjoint(const T* table, int points, int steps, int interval, const int* rows, const T* params,
                           const T* targets, const T* checkpoints, const T* uT, const int* diverged, T* stages,
                           double* loss, double* grad, T* gradU0) {
    extern __shared__ __align__(16) unsigned char ks_shared[];
    const KsTable<T> tb(table, points);
    const int n = tb.n, modes = tb.modes, b = blockIdx.x;
    double* red = reinterpret_cast<double*>(ks_shared);
    T* cotangent = reinterpret_cast<T*>(red + blockDim.x);
    T* work = cotangent + 2 * modes;
    T* z = work + 14 * modes;
    T* u0Bar = gradU0 == nullptr ? nullptr : gradU0 + (long long)b * n;

    if (diverged[b]) {
        if (threadIdx.x == 0) {
            loss[b] = INFINITY;
            grad[2 * b] = 0.0;
            grad[2 * b + 1] = 0.0;
        }
        if (u0Bar != nullptr) {
            for (int i = threadIdx.x; i < n; i += blockDim.x) u0Bar[i] = T(0);
        }
        return;
    }
    const T alpha = params[2 * b], beta = params[2 * b + 1];
    const int segments = (steps + interval - 1) / interval;
    const KsStepArrays<T> s(work, work + 2 * modes, modes);
    const KsAdjointArrays<T> a(cotangent, work, modes);
    T* myStages = stages + (long long)b * interval * 4 * n;

    // loss and the cotangent of u(T), then of its spectrum: c / N * forward(uBar)
    const T* u = uT + (long long)b * n;
    const T* y = targets + (long long)rows[b] * n;
    double sum = 0.0;
    for (int i = threadIdx.x; i < n; i += blockDim.x) {
        T r = u[i] - y[i];
        sum += (double)r * (double)r;
        z[tb.grid_index(i)] = T(2) * r / T(n);
    }
    sum = ks_block_sum(sum, red);
    ks_rfft_forward(z, tb, [&](int m, T re, T im) {
        T w = tb.weight(m) / T(n);
        a.vbr[m] = re * w;
        a.vbi[m] = im * w;
    });

    double alphaBar = 0.0, betaBar = 0.0;
    for (int seg = segments - 1; seg >= 0; seg--) {
        const int first = seg * interval, end = min(steps, first + interval);
        const T* c = checkpoints + ((long long)b * segments + seg) * 2 * modes;
        for (int m = threadIdx.x; m < 2 * modes; m += blockDim.x) s.vr[m] = c[m];
        __syncthreads();
        for (int step = first; step < end; step++) {
            ks_step(s, alpha, beta, z, tb, myStages + (long long)(step - first) * 4 * n, false);
        }
        for (int step = end - 1; step >= first; step--) {
            ks_step_adjoint(a, beta, myStages + (long long)(step - first) * 4 * n, z, tb, alphaBar, betaBar);
        }
    }

    // EtdrkAdjoint.toInitialState: inverse(vBar / c)
    if (u0Bar != nullptr) {
        ks_rfft_inverse(z, tb, [&](int m, T& re, T& im) {
            re = a.vbr[m] / tb.weight(m);
            im = a.vbi[m] / tb.weight(m);
        });
        for (int i = threadIdx.x; i < n; i += blockDim.x) u0Bar[i] = z[tb.grid_index(i)];
    }
    alphaBar = ks_block_sum(alphaBar, red);
    betaBar = ks_block_sum(betaBar, red);
    if (threadIdx.x == 0) {
        loss[b] = sum / n;
        grad[2 * b] = alphaBar;
        grad[2 * b + 1] = betaBar;
    }
}

extern "C" {
__global__ void __launch_bounds__(KS_MAX_THREADS, 1) ks_forward_f64(const double* table, int points, int steps, int interval, const int* rows,
                               const double* params, const double* u0s, double* checkpoints, double* uT, int* diverged) {
    ks_forward(table, points, steps, interval, rows, params, u0s, checkpoints, uT, diverged);
}
__global__ void __launch_bounds__(KS_MAX_THREADS, 1) ks_forward_f32(const float* table, int points, int steps, int interval, const int* rows,
                               const float* params, const float* u0s, float* checkpoints, float* uT, int* diverged) {
    ks_forward(table, points, steps, interval, rows, params, u0s, checkpoints, uT, diverged);
}
__global__ void __launch_bounds__(KS_MAX_THREADS, 1) ks_adjoint_f64(const double* table, int points, int steps, int interval, const int* rows,
                               const double* params, const double* targets, const double* checkpoints,
                               const double* uT, const int* diverged, double* stages, double* loss, double* grad,
                               double* gradU0) {
    ks_adjoint(table, points, steps, interval, rows, params, targets, checkpoints, uT, diverged, stages, loss, grad,
               gradU0);
}
__global__ void __launch_bounds__(KS_MAX_THREADS, 1) ks_adjoint_f32(const float* table, int points, int steps, int interval, const int* rows,
                               const float* params, const float* targets, const float* checkpoints,
                               const float* uT, const int* diverged, float* stages, double* loss, double* grad,
                               float* gradU0) {
    ks_adjoint(table, points, steps, interval, rows, params, targets, checkpoints, uT, diverged, stages, loss, grad,
               gradU0);
}
}
