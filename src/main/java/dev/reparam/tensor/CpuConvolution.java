package dev.reparam.tensor;

import static dev.reparam.tensor.CpuBackend.data;

/**
 * Stride-1 zero-padded cross-correlation (as PyTorch). conv1d is conv2d with H = KH = 1. All
 * three passes reduce to work on one contiguous row at a time: kernel rows whose input row falls
 * into the padding are skipped, and within a row only the few edge columns where some tap falls
 * into the padding check bounds; the interior loops are branch-free.
 */
final class CpuConvolution {
    private CpuConvolution() {}

    /** Sizes of one call, with x[B,Cin,H,W], w[Cout,Cin,KH,KW], y[B,Cout,OH,OW]. */
    private record Dims(int batch, int cin, int h, int w, int cout, int kh, int kw, int padH, int padW, int oh, int ow) {
        static Dims of(Tensor x, Tensor w, int padH, int padW) {
            boolean two = x.rank() == 4;
            int h = two ? x.dim(2) : 1, wd = two ? x.dim(3) : x.dim(2);
            int kh = two ? w.dim(2) : 1, kw = two ? w.dim(3) : w.dim(2);
            return new Dims(x.dim(0), x.dim(1), h, wd, w.dim(0), kh, kw, padH, padW,
                    h + 2 * padH - kh + 1, wd + 2 * padW - kw + 1);
        }

        long macsPerSample() {
            return (long) cout * cin * kh * kw * oh * ow;
        }
    }

    static void forward(Tensor x, Tensor w, Tensor b, int padH, int padW, Tensor y) {
        Dims d = Dims.of(x, w, padH, padW);
        double[] xs = data(x), ws = data(w), ys = data(y), bs = b == null ? null : data(b);
        int xo = x.offset(), wo = w.offset(), yo = y.offset(), bo = b == null ? 0 : b.offset();
        int xPlane = d.h * d.w, yPlane = d.oh * d.ow;
        Parallel.forEach(d.batch, d.macsPerSample(), n -> {
            for (int co = 0; co < d.cout; co++) {
                int yp = yo + (n * d.cout + co) * yPlane;
                java.util.Arrays.fill(ys, yp, yp + yPlane, bs == null ? 0 : bs[bo + co]);
                for (int ci = 0; ci < d.cin; ci++) {
                    int xp = xo + (n * d.cin + ci) * xPlane, wk = wo + (co * d.cin + ci) * d.kh * d.kw;
                    for (int a = 0; a < d.kh; a++) {
                        for (int i = Math.max(0, d.padH - a), e = Math.min(d.oh, d.h + d.padH - a); i < e; i++) {
                            rowTaps(ws, wk + a * d.kw, 1, d.kw, xs, xp + (i + a - d.padH) * d.w, d.w, -d.padW,
                                    ys, yp + i * d.ow, d.ow);
                        }
                    }
                }
            }
        });
    }

    static void backward(Tensor x, Tensor w, Tensor dy, int padH, int padW, Tensor dx, Tensor dw, Tensor db) {
        Dims d = Dims.of(x, w, padH, padW);
        double[] xs = data(x), ws = data(w), g = data(dy);
        int xo = x.offset(), wo = w.offset(), go = dy.offset();
        int xPlane = d.h * d.w, yPlane = d.oh * d.ow, taps = d.kh * d.kw;
        if (dx != null) {
            double[] dxs = data(dx);
            int dxo = dx.offset();
            Parallel.forEach(d.batch, d.macsPerSample(), n -> {
                for (int co = 0; co < d.cout; co++) {
                    int gp = go + (n * d.cout + co) * yPlane;
                    for (int ci = 0; ci < d.cin; ci++) {
                        int xp = dxo + (n * d.cin + ci) * xPlane, wk = wo + (co * d.cin + ci) * taps;
                        for (int a = 0; a < d.kh; a++) {
                            // the transpose: dx[r, q] += sum_c w[a, c] g[r - a + padH, q - c + padW], taps reversed
                            for (int i = Math.max(0, d.padH - a), e = Math.min(d.oh, d.h + d.padH - a); i < e; i++) {
                                rowTaps(ws, wk + a * d.kw + d.kw - 1, -1, d.kw, g, gp + i * d.ow, d.ow,
                                        d.padW - d.kw + 1, dxs, xp + (i + a - d.padH) * d.w, d.w);
                            }
                        }
                    }
                }
            });
        }
        if (dw != null) {
            // One thread per (co, ci) pair sums over the batch in order: deterministic.
            double[] dws = data(dw);
            int dwo = dw.offset();
            Parallel.forEach(d.cout * d.cin, (long) d.batch * taps * yPlane, pair -> {
                int co = pair / d.cin, ci = pair % d.cin, wk = dwo + pair * taps;
                for (int n = 0; n < d.batch; n++) {
                    int gp = go + (n * d.cout + co) * yPlane, xp = xo + (n * d.cin + ci) * xPlane;
                    for (int a = 0; a < d.kh; a++) {
                        for (int i = Math.max(0, d.padH - a), e = Math.min(d.oh, d.h + d.padH - a); i < e; i++) {
                            rowTapDots(g, gp + i * d.ow, d.ow, xs, xp + (i + a - d.padH) * d.w, d.w, -d.padW,
                                    dws, wk + a * d.kw, d.kw);
                        }
                    }
                }
            });
        }
        if (db != null) {
            double[] dbs = data(db);
            int dbo = db.offset();
            Parallel.forEach(d.cout, (long) d.batch * yPlane, co -> {
                double s = 0;
                for (int n = 0; n < d.batch; n++) {
                    for (int i = 0, gp = go + (n * d.cout + co) * yPlane; i < yPlane; i++) s += g[gp + i];
                }
                dbs[dbo + co] += s;
            });
        }
    }

    /**
     * One row of a 1-d correlation: out[j] += sum_c coef[c] * in[j + off + c] over the taps c with
     * 0 <= j + off + c < inLen, where coef[c] = ws[wBase + wStride * c]. In the interior, where
     * every tap is inside, taps are applied four at a time so each output element is loaded and
     * stored once per four multiply-adds instead of once per tap; that loop vectorises.
     */
    private static void rowTaps(double[] ws, int wBase, int wStride, int taps, double[] in, int inRow, int inLen,
                                int off, double[] out, int outRow, int outLen) {
        int j0 = Math.min(outLen, Math.max(0, -off)), j1 = Math.max(j0, Math.min(outLen, inLen - off - taps + 1));
        int c = 0;
        for (; c + 3 < taps; c += 4) {
            double w0 = ws[wBase + wStride * c], w1 = ws[wBase + wStride * (c + 1)];
            double w2 = ws[wBase + wStride * (c + 2)], w3 = ws[wBase + wStride * (c + 3)];
            int src = inRow + off + c;
            for (int j = j0; j < j1; j++) {
                out[outRow + j] += w0 * in[src + j] + w1 * in[src + j + 1] + w2 * in[src + j + 2] + w3 * in[src + j + 3];
            }
        }
        for (; c < taps; c++) {
            double wc = ws[wBase + wStride * c];
            int src = inRow + off + c;
            for (int j = j0; j < j1; j++) out[outRow + j] += wc * in[src + j];
        }
        // edges, where some taps fall into the zero padding
        for (int j = 0; j < outLen; j++) {
            if (j == j0) j = j1;
            if (j >= outLen) break;
            double sum = 0;
            for (int t = 0; t < taps; t++) {
                int k = j + off + t;
                if (k >= 0 && k < inLen) sum += ws[wBase + wStride * t] * in[inRow + k];
            }
            out[outRow + j] += sum;
        }
    }

    /**
     * The weight-gradient counterpart of {@link #rowTaps}: res[resBase + c] += sum_j g[gRow + j] *
     * in[inRow + j + off + c] over the j with the input inside. In the interior four taps share
     * each load of g, and eight independent partial sums (four taps, even and odd j) keep the
     * adds from waiting on each other; the summation order is fixed, hence deterministic.
     */
    private static void rowTapDots(double[] g, int gRow, int gLen, double[] in, int inRow, int inLen, int off,
                                   double[] res, int resBase, int taps) {
        int j0 = Math.min(gLen, Math.max(0, -off)), j1 = Math.max(j0, Math.min(gLen, inLen - off - taps + 1));
        int c = 0;
        for (; c + 3 < taps; c += 4) {
            double a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
            int src = inRow + off + c, j = j0;
            for (; j + 1 < j1; j += 2) {
                double ga = g[gRow + j], gb = g[gRow + j + 1];
                a0 += ga * in[src + j];
                a1 += ga * in[src + j + 1];
                a2 += ga * in[src + j + 2];
                a3 += ga * in[src + j + 3];
                b0 += gb * in[src + j + 1];
                b1 += gb * in[src + j + 2];
                b2 += gb * in[src + j + 3];
                b3 += gb * in[src + j + 4];
            }
            if (j < j1) {
                double ga = g[gRow + j];
                a0 += ga * in[src + j];
                a1 += ga * in[src + j + 1];
                a2 += ga * in[src + j + 2];
                a3 += ga * in[src + j + 3];
            }
            res[resBase + c] += a0 + b0;
            res[resBase + c + 1] += a1 + b1;
            res[resBase + c + 2] += a2 + b2;
            res[resBase + c + 3] += a3 + b3;
        }
        for (; c < taps; c++) res[resBase + c] += dot(g, gRow, in, inRow + off + c, j0, j1);
        // edges, where some taps fall into the zero padding
        for (int j = 0; j < gLen; j++) {
            if (j == j0) j = j1;
            if (j >= gLen) break;
            for (int t = 0; t < taps; t++) {
                int k = j + off + t;
                if (k >= 0 && k < inLen) res[resBase + t] += g[gRow + j] * in[inRow + k];
            }
        }
    }

    /**
     * sum over j in [j0, j1) of a[ao + j] * b[bo + j], with four independent partial sums: a single
     * running sum would wait on the floating-point add latency at every step. The order is fixed,
     * so the result is still deterministic.
     */
    private static double dot(double[] a, int ao, double[] b, int bo, int j0, int j1) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int j = j0;
        for (; j + 3 < j1; j += 4) {
            s0 += a[ao + j] * b[bo + j];
            s1 += a[ao + j + 1] * b[bo + j + 1];
            s2 += a[ao + j + 2] * b[bo + j + 2];
            s3 += a[ao + j + 3] * b[bo + j + 3];
        }
        for (; j < j1; j++) s0 += a[ao + j] * b[bo + j];
        return (s0 + s1) + (s2 + s3);
    }
}
