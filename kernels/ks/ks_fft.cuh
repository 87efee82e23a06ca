// Block-level real FFT of one Kuramoto-Sivashinsky problem in shared memory: the CUDA mirror of
// dev.reparam.sim.ks.Fft and RealFft. A real signal of N points is transformed through one
// complex FFT of H = N/2 points (even samples as real, odd samples as imaginary parts), radix 2,
// iterative, in place, with the same twiddle tables, butterfly order and split formulas as the
// Java code, so the two differ only by FMA contraction and never by algorithm.
//
// Layout: the complex work array z of the block is one shared array of N values T, zr = z[0..H),
// zi = z[H..N). After an inverse transform the grid value x_i sits at z[grid_index(i)]
// (x_{2j} = zr[j], x_{2j+1} = zi[j]); before a forward transform the caller puts the signal there
// in the same way. Half spectra (modes 0..H) are separate re/im arrays, or functors.
//
// Every function is called by all threads of the block (blockDim.x a power of two >= 32, any
// relation to H: the loops are block-stride) and ends with __syncthreads, so the next phase may
// read anything this one wrote.
#pragma once

// Problem size and the tables, from the packed table that EtdCoefficientTable (Java) builds.
// Offsets in units of T, modes M = N/2 + 1, H = N/2, Q = H/2:
//   e, e2, q, f1, f2, f3, gIm, forcingRe, forcingIm : 9 arrays of M
//   rcos, rsin   : H each, cos / sin(2 pi m / N)   (real-FFT split, RealFft)
//   ccos, csin   : Q each, cos / sin(2 pi i / H)   (complex FFT of size H, Fft)
template <typename T>
struct KsTable {
    int n, h, modes, bits;
    const T *e, *e2, *q, *f1, *f2, *f3, *g_im, *forcing_re, *forcing_im;
    const T *rcos, *rsin, *ccos, *csin;

    __device__ KsTable(const T* t, int points) {
        n = points;
        h = points / 2;
        modes = h + 1;
        bits = 0;
        while ((1 << bits) < h) bits++;
        e = t; e2 = e + modes; q = e2 + modes; f1 = q + modes; f2 = f1 + modes; f3 = f2 + modes;
        g_im = f3 + modes; forcing_re = g_im + modes; forcing_im = forcing_re + modes;
        rcos = forcing_im + modes; rsin = rcos + h;
        ccos = rsin + h; csin = ccos + h / 2;
    }

    // Position of grid value i in the work array z (see the layout above).
    __device__ int grid_index(int i) const { return (i & 1) * h + (i >> 1); }

    // The packing weight c of RealFft's transposes: 1 at m = 0 and H, 2 elsewhere.
    __device__ T weight(int m) const { return (m == 0 || m == h) ? T(1) : T(2); }
};

__device__ inline int ks_bit_reverse(int i, int bits) {
    return (int)(__brev((unsigned)i) >> (32 - bits));
}

// Fft.transform on z = (zr, zi) of size H, sign -1 forward, +1 backward, unnormalised.
template <typename T>
__device__ void ks_complex_fft(T* z, const KsTable<T>& tb, T sign) {
    const int h = tb.h;
    T* zr = z;
    T* zi = z + h;
    // bit-reversal permutation: the thread of i swaps the pair (i, j > i), so each element has one owner
    for (int i = threadIdx.x; i < h; i += blockDim.x) {
        int j = ks_bit_reverse(i, tb.bits);
        if (j > i) {
            T t = zr[i]; zr[i] = zr[j]; zr[j] = t;
            t = zi[i]; zi[i] = zi[j]; zi[j] = t;
        }
    }
    __syncthreads();
    // size-2 butterflies have the twiddle 1
    for (int b = threadIdx.x; b < h / 2; b += blockDim.x) {
        int a = 2 * b;
        T xr = zr[a + 1], xi = zi[a + 1];
        zr[a + 1] = zr[a] - xr;
        zi[a + 1] = zi[a] - xi;
        zr[a] += xr;
        zi[a] += xi;
    }
    __syncthreads();
    for (int len = 4, lb = 1; len <= h; len <<= 1, lb++) {
        const int half = len >> 1, stride = h / len;
        // butterfly b of the stage: twiddle k = b mod half of group b / half
        for (int b = threadIdx.x; b < h / 2; b += blockDim.x) {
            int k = b & (half - 1);
            int a = ((b >> lb) * len) + k;
            int c = a + half;
            T wr = tb.ccos[k * stride], wi = sign * tb.csin[k * stride];
            T xr = zr[c] * wr - zi[c] * wi;
            T xi = zr[c] * wi + zi[c] * wr;
            zr[c] = zr[a] - xr;
            zi[c] = zi[a] - xi;
            zr[a] += xr;
            zi[a] += xi;
        }
        __syncthreads();
    }
}

// RealFft.forward of the signal the caller placed in z (grid layout), calling
// out(m, Xr, Xi) once for every mode m = 0..H. z is destroyed.
template <typename T, typename Out>
__device__ void ks_rfft_forward(T* z, const KsTable<T>& tb, Out out) {
    ks_complex_fft(z, tb, T(-1));
    const int h = tb.h;
    const T* zr = z;
    const T* zi = z + h;
    for (int m = threadIdx.x; m <= h; m += blockDim.x) {
        if (m == 0) {
            out(0, zr[0] + zi[0], T(0));
        } else if (m == h) {
            out(h, zr[0] - zi[0], T(0));
        } else {
            int p = h - m;
            // even spectrum E = (Z_m + conj Z_p) / 2, odd spectrum O = (Z_m - conj Z_p) / (2i)
            T er = T(0.5) * (zr[m] + zr[p]), ei = T(0.5) * (zi[m] - zi[p]);
            T orr = T(0.5) * (zi[m] + zi[p]), oi = T(-0.5) * (zr[m] - zr[p]);
            out(m, er + tb.rcos[m] * orr + tb.rsin[m] * oi, ei + tb.rcos[m] * oi - tb.rsin[m] * orr);
        }
    }
    __syncthreads();
}

// RealFft.inverse: z receives N * irfft of the half spectrum given by spec(m, &re, &im)
// (imaginary parts at m = 0 and H are ignored), in grid layout.
template <typename T, typename Spec>
__device__ void ks_rfft_inverse(T* z, const KsTable<T>& tb, Spec spec) {
    const int h = tb.h;
    T* zr = z;
    T* zi = z + h;
    for (int m = threadIdx.x; m < h; m += blockDim.x) {
        if (m == 0) {
            T r0, i0, rh, ih;
            spec(0, r0, i0);
            spec(h, rh, ih);
            zr[0] = r0 + rh;
            zi[0] = r0 - rh;
        } else {
            int p = h - m;
            T rm, im, rp, ip;
            spec(m, rm, im);
            spec(p, rp, ip);
            T er = rm + rp, ei = im - ip;
            T dr = rm - rp, di = im + ip;
            T orr = dr * tb.rcos[m] - di * tb.rsin[m], oi = dr * tb.rsin[m] + di * tb.rcos[m];
            zr[m] = er - oi;
            zi[m] = ei + orr;
        }
    }
    __syncthreads();
    ks_complex_fft(z, tb, T(1));
}

// Sum of one double per thread by a fixed pairwise tree over blockDim.x (a power of two)
// entries of red; every thread gets the result. Deterministic: no atomics, fixed order.
__device__ inline double ks_block_sum(double v, double* red) {
    red[threadIdx.x] = v;
    __syncthreads();
    for (int s = blockDim.x / 2; s > 0; s >>= 1) {
        if ((int)threadIdx.x < s) red[threadIdx.x] += red[threadIdx.x + s];
        __syncthreads();
    }
    double total = red[0];
    __syncthreads();
    return total;
}
