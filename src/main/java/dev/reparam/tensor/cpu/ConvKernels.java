package dev.reparam.tensor.cpu;

/**
 * The arithmetic of {@link CpuConvolution} on one block of positions, in loops shaped for the
 * JDK 17 C2 auto-vectoriser. Measured on this machine (JDK 17.0.15, AVX-512): C2 vectorises
 * y[q] += w0 * c0[q] + ... only when every array is indexed by the same expression (q, or q plus
 * one shared loop invariant); y[q] += w * x[q + 1] or y[o1 + q] += w * x[o2 + q] stay scalar, a
 * loop storing into two rows stays scalar, and so does a floating-point dot product. Hence the
 * column matrix is built as separate arrays, one per (channel, tap), so the forward and
 * input-gradient sums vectorise; for the weight gradient, a dot product over positions, the same
 * values are laid out position-major instead, so its loop runs along (channel, tap) rows.
 */
final class ConvKernels {
    private ConvKernels() {}

    /**
     * out[co][q] += sum over r in [0, rows) of w[wOff + co * rows + r] * cols[r][q], for co in
     * [0, outChannels) and q in [0, len). Rows are taken four per sweep, so out is loaded and
     * stored once per four multiply-adds, and the four column rows stay in L1 while every output
     * channel sweeps them (the other way round, the whole column block streams from L2 once per
     * output channel). The sum's order is fixed by rows alone.
     */
    static void accumulate(double[][] out, int outChannels, double[][] cols, int rows, double[] w, int wOff, int len) {
        int r = 0;
        for (; r + 3 < rows; r += 4) {
            double[] c0 = cols[r], c1 = cols[r + 1], c2 = cols[r + 2], c3 = cols[r + 3];
            for (int co = 0; co < outChannels; co++) {
                int k = wOff + co * rows + r;
                double w0 = w[k], w1 = w[k + 1], w2 = w[k + 2], w3 = w[k + 3];
                double[] y = out[co];
                for (int q = 0; q < len; q++) y[q] += w0 * c0[q] + w1 * c1[q] + w2 * c2[q] + w3 * c3[q];
            }
        }
        for (; r < rows; r++) {
            double[] c = cols[r];
            for (int co = 0; co < outChannels; co++) {
                double wr = w[wOff + co * rows + r];
                double[] y = out[co];
                for (int q = 0; q < len; q++) y[q] += wr * c[q];
            }
        }
    }

    /**
     * res[co][r] += sum over q in [0, len) of g[co][q] * byPosition[q][r], r in [0, rows): the
     * weight gradient with the positions outermost, so the vectorised loop runs along the
     * (channel, tap) row of each position. Positions are taken four per sweep, their rows staying
     * in L1 while every output channel sweeps them; the order of each sum is fixed by len alone.
     */
    static void weightGradient(double[][] g, int cout, double[][] byPosition, int rows, int len, double[][] res) {
        int q = 0;
        for (; q + 3 < len; q += 4) {
            double[] t0 = byPosition[q], t1 = byPosition[q + 1], t2 = byPosition[q + 2], t3 = byPosition[q + 3];
            for (int co = 0; co < cout; co++) {
                double[] gc = g[co], d = res[co];
                double g0 = gc[q], g1 = gc[q + 1], g2 = gc[q + 2], g3 = gc[q + 3];
                for (int r = 0; r < rows; r++) d[r] += g0 * t0[r] + g1 * t1[r] + g2 * t2[r] + g3 * t3[r];
            }
        }
        for (; q < len; q++) {
            double[] t = byPosition[q];
            for (int co = 0; co < cout; co++) {
                double gq = g[co][q];
                double[] d = res[co];
                for (int r = 0; r < rows; r++) d[r] += gq * t[r];
            }
        }
    }

    /**
     * The weight gradient for few rows (a single input channel: rows = taps), where a vector
     * loop along a row of 5 would be all loop overhead: res[co][r] += dot(g[co], cols[r]) over
     * [0, len), two output channels by four rows per sweep, so each load feeds several of eight
     * independent running sums (each in position order).
     */
    static void weightGradientByDots(double[][] g, int cout, double[][] cols, int rows, int len, double[][] res) {
        int co = 0;
        for (; co + 1 < cout; co += 2) {
            double[] g0 = g[co], g1 = g[co + 1], d0 = res[co], d1 = res[co + 1];
            int r = 0;
            for (; r + 3 < rows; r += 4) {
                double[] c0 = cols[r], c1 = cols[r + 1], c2 = cols[r + 2], c3 = cols[r + 3];
                double s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
                for (int q = 0; q < len; q++) {
                    double a = g0[q], b = g1[q], x0 = c0[q], x1 = c1[q], x2 = c2[q], x3 = c3[q];
                    s00 += a * x0;
                    s01 += a * x1;
                    s02 += a * x2;
                    s03 += a * x3;
                    s10 += b * x0;
                    s11 += b * x1;
                    s12 += b * x2;
                    s13 += b * x3;
                }
                d0[r] += s00;
                d0[r + 1] += s01;
                d0[r + 2] += s02;
                d0[r + 3] += s03;
                d1[r] += s10;
                d1[r + 1] += s11;
                d1[r + 2] += s12;
                d1[r + 3] += s13;
            }
            for (; r < rows; r++) {
                d0[r] += dot(g0, cols[r], len);
                d1[r] += dot(g1, cols[r], len);
            }
        }
        for (; co < cout; co++) {
            for (int r = 0; r < rows; r++) res[co][r] += dot(g[co], cols[r], len);
        }
    }

    /** sum of a[q] * b[q] over q in [0, len), in four interleaved running sums (fixed order). */
    private static double dot(double[] a, double[] b, int len) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int q = 0;
        for (; q + 3 < len; q += 4) {
            s0 += a[q] * b[q];
            s1 += a[q + 1] * b[q + 1];
            s2 += a[q + 2] * b[q + 2];
            s3 += a[q + 3] * b[q + 3];
        }
        for (; q < len; q++) s0 += a[q] * b[q];
        return (s0 + s1) + (s2 + s3);
    }
}
