package dev.reparam.tensor.cpu;

import dev.reparam.tensor.Parallel;
import dev.reparam.tensor.Tensor;

import java.util.Arrays;

import static dev.reparam.tensor.cpu.CpuBackend.data;

/**
 * Stride-1 zero-padded cross-correlation (as PyTorch). conv1d is conv2d with H = KH = 1. The
 * batch is laid out as one long row of positions ({@link ConvPlane}) and cut into blocks of
 * {@link #BLOCK} positions; per block, the padded input is expanded into a column matrix (one
 * array per input channel and tap) and the arithmetic is a small matrix product over it
 * ({@link ConvKernels}). Rows of a few dozen samples (the wave packet's last layers have 16) thus
 * become long, edge-free loops that the JIT vectorises.
 *
 * <p>The input gradient is the same correlation of dy with the kernel flipped and its channel
 * axes swapped, padded by K - 1 - pad. Determinism: every output element of the forward and
 * input-gradient passes is summed by one block in a fixed order; the weight gradient sums per
 * block in position order, then adds fixed chunks of blocks ({@link Parallel#chunkCount}) in
 * chunk order. Blocks and chunks depend on the problem size only, so results are bit-identical
 * for any thread count.
 */
final class CpuConvolution {
    /**
     * Positions per block. Four column rows of a block (8 KB) stay in L1 while every output
     * channel sweeps them, and the block's column matrix and output rows stay in L2. Measured at
     * the wave packet's shapes: 128 is 10% slower, 512 and 1024 no faster, and they leave fewer
     * blocks to share among threads at small batches.
     */
    static final int BLOCK = 256;

    /**
     * Below this many (channel, tap) rows the weight gradient takes dot products along positions
     * (scalar) instead of vector loops along rows: measured 6.5 against 4 GFLOP/s for the wave
     * packet's first layer (1 channel, 5 taps); at its other layers' 80 and 160 rows the vector
     * loops win, 17-20 against 10.
     */
    private static final int FEW_ROWS = 16;

    private static final ThreadLocal<ConvScratch> SCRATCH = ThreadLocal.withInitial(ConvScratch::new);

    private CpuConvolution() {}

    static void forward(Tensor x, Tensor w, Tensor b, int padH, int padW, Tensor y) {
        ConvPlane plane = plane(x, w, padH, padW);
        correlate(plane, data(x), x.offset(), w.dim(0), data(w), w.offset(), b == null ? null : data(b),
                b == null ? 0 : b.offset(), data(y), y.offset(), false);
    }

    static void backward(Tensor x, Tensor w, Tensor dy, int padH, int padW, Tensor dx, Tensor dw, Tensor db) {
        ConvPlane plane = plane(x, w, padH, padW);
        int cout = w.dim(0), cin = plane.channels(), taps = plane.taps();
        if (dx != null) {
            // dx = correlate(dy, w flipped in both spatial axes, channels swapped, pad K - 1 - pad)
            double[] ws = data(w), flipped = new double[cin * cout * taps];
            int wo = w.offset();
            for (int ci = 0; ci < cin; ci++) {
                for (int co = 0; co < cout; co++) {
                    for (int t = 0; t < taps; t++) {
                        flipped[(ci * cout + co) * taps + t] = ws[wo + (co * cin + ci) * taps + taps - 1 - t];
                    }
                }
            }
            ConvPlane transposed = new ConvPlane(plane.batch(), cout, plane.outH(), plane.outW(), plane.kh(),
                    plane.kw(), plane.kh() - 1 - padH, plane.kw() - 1 - padW);
            correlate(transposed, data(dy), dy.offset(), cin, flipped, 0, null, 0, data(dx), dx.offset(), true);
        }
        if (dw != null) weightGradient(plane, data(x), x.offset(), cout, data(dy), dy.offset(), data(dw), dw.offset());
        if (db != null) {
            double[] g = data(dy), dbs = data(db);
            int go = dy.offset(), dbo = db.offset(), outPlane = plane.outH() * plane.outW(), batch = plane.batch();
            Parallel.forEach(cout, (long) batch * outPlane, co -> {
                double s = 0;
                for (int n = 0; n < batch; n++) {
                    for (int i = 0, gp = go + (n * cout + co) * outPlane; i < outPlane; i++) s += g[gp + i];
                }
                dbs[dbo + co] += s;
            });
        }
    }

    private static ConvPlane plane(Tensor x, Tensor w, int padH, int padW) {
        boolean two = x.rank() == 4;
        return new ConvPlane(x.dim(0), x.dim(1), two ? x.dim(2) : 1, two ? x.dim(3) : x.dim(2),
                two ? w.dim(2) : 1, two ? w.dim(3) : w.dim(2), padH, padW);
    }

    private static int blocks(ConvPlane plane) {
        return (int) ((plane.positions() + BLOCK - 1) / BLOCK);
    }

    /**
     * dst[n, co] (+)= bias[co] + sum over ch, taps of wm[co, ch, tap] * src[n, ch] shifted by the
     * tap, for the plane's output grid; wm is [outChannels][channels * taps] from wmOff.
     */
    private static void correlate(ConvPlane plane, double[] src, int srcOff, int outChannels, double[] wm, int wmOff,
                                  double[] bias, int biasOff, double[] dst, int dstOff, boolean accumulate) {
        int rows = plane.channels() * plane.taps(), outPlane = plane.outH() * plane.outW();
        long positions = plane.positions();
        Parallel.forEach(blocks(plane), (long) outChannels * rows * BLOCK, block -> {
            long p0 = (long) block * BLOCK;
            int len = (int) Math.min(BLOCK, positions - p0);
            ConvScratch scratch = SCRATCH.get();
            double[][] cols = columns(plane, src, srcOff, p0, len, scratch);
            double[][] out = scratch.rows(outChannels, len);
            for (int co = 0; co < outChannels; co++) Arrays.fill(out[co], 0, len,
                    bias == null ? 0 : bias[biasOff + co]);
            ConvKernels.accumulate(out, outChannels, cols, rows, wm, wmOff, len);
            plane.outputRuns(p0, len, (u, n, index, length) -> {
                for (int co = 0; co < outChannels; co++) {
                    int d = dstOff + (n * outChannels + co) * outPlane + index;
                    double[] o = out[co];
                    if (accumulate) {
                        for (int k = 0; k < length; k++) dst[d + k] += o[u + k];
                    } else {
                        System.arraycopy(o, u, dst, d, length);
                    }
                }
            });
        });
    }

    /** dw[co, ch, tap] += sum over positions of dy[co] * column[ch, tap]. */
    private static void weightGradient(ConvPlane plane, double[] src, int srcOff, int cout, double[] g, int gOff,
                                       double[] dw, int dwOff) {
        int rows = plane.channels() * plane.taps(), outPlane = plane.outH() * plane.outW(), blocks = blocks(plane);
        long positions = plane.positions();
        int chunks = Parallel.chunkCount(blocks);
        double[][][] partial = new double[chunks][cout][rows];
        Parallel.forEach(chunks, (long) cout * rows * BLOCK * blocks / chunks, chunk -> {
            ConvScratch scratch = SCRATCH.get();
            for (int block = Parallel.chunkStart(blocks, chunk); block < Parallel.chunkStart(blocks,
                    chunk + 1); block++) {
                long p0 = (long) block * BLOCK;
                int len = (int) Math.min(BLOCK, positions - p0);
                double[][] grad = scratch.rows(cout, len);
                // dy at the block's positions, zero where a position is not a real output
                for (int co = 0; co < cout; co++) Arrays.fill(grad[co], 0, len, 0);
                plane.outputRuns(p0, len, (u, n, index, length) -> {
                    for (int co = 0; co < cout; co++) {
                        System.arraycopy(g, gOff + (n * cout + co) * outPlane + index, grad[co], u, length);
                    }
                });
                if (rows < FEW_ROWS) {
                    ConvKernels.weightGradientByDots(grad, cout, columns(plane, src, srcOff, p0, len, scratch), rows,
                            len, partial[chunk]);
                } else {
                    ConvKernels.weightGradient(grad, cout, byPosition(plane, src, srcOff, p0, len, scratch), rows, len,
                            partial[chunk]);
                }
            }
        });
        for (int co = 0; co < cout; co++) {
            for (int r = 0; r < rows; r++) {
                double s = 0;
                for (double[][] p : partial) s += p[co][r];
                dw[dwOff + co * rows + r] += s;
            }
        }
    }

    /**
     * The block's column matrix transposed: row q holds entry (ch * taps + t) = the padded source
     * of ch at p0 + q + offset(t). Built as columns (array copies), then transposed in 4 x 4
     * tiles: filling position rows directly runs a loop of `taps` iterations per channel and
     * position, whose loop overhead made the build cost as much as the arithmetic.
     */
    private static double[][] byPosition(ConvPlane plane, double[] src, int srcOff, long p0, int len,
            ConvScratch scratch) {
        int rows = plane.channels() * plane.taps();
        double[][] cols = columns(plane, src, srcOff, p0, len, scratch);
        double[][] out = scratch.byPosition(len, rows);
        int q = 0;
        for (; q + 3 < len; q += 4) {
            double[] d0 = out[q], d1 = out[q + 1], d2 = out[q + 2], d3 = out[q + 3];
            int r = 0;
            for (; r + 3 < rows; r += 4) {
                double[] c0 = cols[r], c1 = cols[r + 1], c2 = cols[r + 2], c3 = cols[r + 3];
                d0[r] = c0[q];
                d0[r + 1] = c1[q];
                d0[r + 2] = c2[q];
                d0[r + 3] = c3[q];
                d1[r] = c0[q + 1];
                d1[r + 1] = c1[q + 1];
                d1[r + 2] = c2[q + 1];
                d1[r + 3] = c3[q + 1];
                d2[r] = c0[q + 2];
                d2[r + 1] = c1[q + 2];
                d2[r + 2] = c2[q + 2];
                d2[r + 3] = c3[q + 2];
                d3[r] = c0[q + 3];
                d3[r + 1] = c1[q + 3];
                d3[r + 2] = c2[q + 3];
                d3[r + 3] = c3[q + 3];
            }
            for (; r < rows; r++) {
                double[] c = cols[r];
                d0[r] = c[q];
                d1[r] = c[q + 1];
                d2[r] = c[q + 2];
                d3[r] = c[q + 3];
            }
        }
        for (; q < len; q++) {
            for (int r = 0; r < rows; r++) out[q][r] = cols[r][q];
        }
        return out;
    }

    /** The block's column matrix: row ch * taps + t holds the padded source of channel ch at p0 + q + offset(t). */
    private static double[][] columns(ConvPlane plane, double[] src, int srcOff, long p0, int len,
            ConvScratch scratch) {
        int taps = plane.taps(), span = len + plane.reach();
        double[][] cols = scratch.columns(plane.channels() * taps, len);
        double[] win = scratch.window(span);
        for (int ch = 0; ch < plane.channels(); ch++) {
            plane.window(src, srcOff, ch, p0, span, win);
            for (int t = 0; t < taps; t++) System.arraycopy(win, plane.tapOffset(t), cols[ch * taps + t], 0, len);
        }
        return cols;
    }
}
