package dev.reparam.tensor.cpu;

import java.util.Arrays;

/**
 * One stride-1 cross-correlation of a source src[N, C, H, W] with KH x KW taps and zero padding
 * (pads may be negative: the input-gradient pass crops), laid out as one long row of positions.
 * Each sample's padded plane (H + 2 padH) x (W + 2 padW) is flattened row by row and the samples
 * are concatenated, so position p = n * plane + u * planeW + v, and tap (a, c) of output p reads
 * position p + a * planeW + c: a 2-d convolution over the batch becomes a 1-d one over P =
 * N * plane positions, with no bounds checks. Positions whose (u, v) lie outside the OH x OW
 * output grid are computed and dropped (their windows straddle a row or sample edge); this costs
 * (plane - OH * OW) / plane of the work, 4 / (L + 4) for the wave packet's k = 5 conv1d.
 */
record ConvPlane(int batch, int channels, int h, int w, int kh, int kw, int padH, int padW) {
    int planeH() {
        return h + 2 * padH;
    }

    int planeW() {
        return w + 2 * padW;
    }

    int plane() {
        return planeH() * planeW();
    }

    int outH() {
        return planeH() - kh + 1;
    }

    int outW() {
        return planeW() - kw + 1;
    }

    int taps() {
        return kh * kw;
    }

    long positions() {
        return (long) batch * plane();
    }

    /** Offset from an output position to the source position of tap t = a * kw + c. */
    int tapOffset(int t) {
        return (t / kw) * planeW() + t % kw;
    }

    /** Positions past an output position that its taps read. */
    int reach() {
        return tapOffset(taps() - 1);
    }

    /**
     * Writes the padded source values of channel ch at positions [p0, p0 + count) into
     * win[0, count): a copy of the source row where one falls, zeros in the padding and past
     * the last sample.
     */
    void window(double[] src, int srcOffset, int ch, long p0, int count, double[] win) {
        int pw = planeW(), pl = plane(), srcPlane = h * w;
        int u = 0;
        while (u < count) {
            long p = p0 + u;
            long n = p / pl;
            if (n >= batch) {
                Arrays.fill(win, u, count, 0);
                return;
            }
            int s = (int) (p - n * pl), row = s / pw, col = s % pw;
            int run = Math.min(pw - col, count - u), i = row - padH;
            if (i < 0 || i >= h) {
                Arrays.fill(win, u, u + run, 0);
            } else {
                int j0 = col - padW;
                int a = Math.min(run, Math.max(0, -j0)), b = Math.max(a, Math.min(run, w - j0));
                Arrays.fill(win, u, u + a, 0);
                // a run wholly inside the padding copies nothing; its source index may lie outside src
                if (b > a) {
                    int base = srcOffset + (int) ((n * channels + ch) * srcPlane) + i * w + j0;
                    System.arraycopy(src, base + a, win, u + a, b - a);
                }
                Arrays.fill(win, u + b, u + run, 0);
            }
            u += run;
        }
    }

    /**
     * Visits the real outputs among positions [p0, p0 + count) as stretches along one output
     * row (the other positions are dropped); see {@link OutputRun}.
     */
    void outputRuns(long p0, int count, OutputRun run) {
        int pw = planeW(), pl = plane(), oh = outH(), ow = outW();
        int u = 0;
        while (u < count) {
            long p = p0 + u;
            long n = p / pl;
            if (n >= batch) return;
            int s = (int) (p - n * pl), row = s / pw, col = s % pw;
            int len = Math.min(pw - col, count - u);
            if (row < oh && col < ow) run.at(u, (int) n, row * ow + col, Math.min(len, ow - col));
            u += len;
        }
    }

    /** A stretch of {@code length} real outputs: block index u, sample n, index within the OH x OW plane. */
    @FunctionalInterface
    interface OutputRun {
        void at(int u, int n, int planeIndex, int length);
    }
}
