package dev.reparam.tensor.cpu;

import dev.reparam.tensor.Parallel;
import dev.reparam.tensor.Tensor;

import static dev.reparam.tensor.cpu.CpuBackend.data;

/**
 * Non-overlapping max pooling; ties go to the first maximum in row-major window order.
 * Windows one row high (MaxPool1d runs here on [B, C, 1, L] views) take a flat path: with w a
 * multiple of kw the whole tensor is one run of windows, and for kw = 2 the comparison is a
 * bit mask (BranchFree), so the loops carry no data-dependent branch and the JIT vectorises them. The backward
 * recomputes each window's argmax from x instead of storing indices: x is read anyway and an index tensor would add
 * traffic.
 */
final class CpuPooling {
    /** Elements per parallel chunk of the flat paths: large enough to amortise a task. */
    private static final int FLAT_CHUNK = 1 << 13;

    private CpuPooling() {}

    static void maxPool2d(Tensor x, int kh, int kw, Tensor y) {
        double[] xs = data(x), ys = data(y);
        int xo = x.offset(), yo = y.offset();
        int planes = x.dim(0) * x.dim(1), h = x.dim(2), w = x.dim(3), oh = y.dim(2), ow = y.dim(3);
        if (kh == 1 && h == 1 && w == ow * kw) {
            flatForward(xs, xo, ys, yo, planes * ow, kw);
            return;
        }
        Parallel.forEach(planes, (long) h * w, p -> {
            int xp = xo + p * h * w, yp = yo + p * oh * ow;
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) ys[yp + i * ow + j] = xs[argMax(xs, xp, w, i * kh, j * kw, kh, kw)];
            }
        });
    }

    static void maxPool2dBackward(Tensor x, int kh, int kw, Tensor dy, Tensor dx) {
        double[] xs = data(x), g = data(dy), d = data(dx);
        int xo = x.offset(), go = dy.offset(), dxo = dx.offset();
        int planes = x.dim(0) * x.dim(1), h = x.dim(2), w = x.dim(3), oh = dy.dim(2), ow = dy.dim(3);
        if (kh == 1 && h == 1 && w == ow * kw) {
            flatBackward(xs, xo, g, go, d, dxo, planes * ow, kw);
            return;
        }
        Parallel.forEach(planes, (long) h * w, p -> {
            int xp = xo + p * h * w, gp = go + p * oh * ow;
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    d[dxo - xo + argMax(xs, xp, w, i * kh, j * kw, kh, kw)] += g[gp + i * ow + j];
                }
            }
        });
    }

    /** y[j] = max of x[j kw, (j + 1) kw) for j in [0, windows): the windows tile x without gaps. */
    private static void flatForward(double[] xs, int xo, double[] ys, int yo, int windows, int kw) {
        int chunks = Math.max(1, windows / FLAT_CHUNK);
        Parallel.forEach(chunks, (long) windows * kw / chunks, c -> {
            int j0 = (int) ((long) windows * c / chunks), j1 = (int) ((long) windows * (c + 1) / chunks);
            if (kw == 2) {
                for (int j = j0; j < j1; j++) {
                    double a = xs[xo + 2 * j], b = xs[xo + 2 * j + 1];
                    ys[yo + j] = BranchFree.select(BranchFree.greater(b, a), b, a);
                }
                return;
            }
            for (int j = j0; j < j1; j++) ys[yo + j] = xs[argMax(xs, xo, 0, 0, j * kw, 1, kw)];
        });
    }

    /** The gradient of each window goes to its first maximum, the element forward picked. */
    private static void flatBackward(double[] xs, int xo, double[] g, int go, double[] d, int dxo, int windows,
            int kw) {
        int chunks = Math.max(1, windows / FLAT_CHUNK);
        Parallel.forEach(chunks, (long) windows * kw / chunks, c -> {
            int j0 = (int) ((long) windows * c / chunks), j1 = (int) ((long) windows * (c + 1) / chunks);
            if (kw == 2) {
                for (int j = j0; j < j1; j++) {
                    double gj = g[go + j];
                    long second = BranchFree.greater(xs[xo + 2 * j + 1], xs[xo + 2 * j]);
                    d[dxo + 2 * j] += BranchFree.keep(gj, ~second);
                    d[dxo + 2 * j + 1] += BranchFree.keep(gj, second);
                }
                return;
            }
            for (int j = j0; j < j1; j++) d[dxo - xo + argMax(xs, xo, 0, 0, j * kw, 1, kw)] += g[go + j];
        });
    }

    /** Absolute index of the first maximum of the window at (row, col) of the plane starting at {@code plane}. */
    private static int argMax(double[] xs, int plane, int w, int row, int col, int kh, int kw) {
        int best = plane + row * w + col;
        for (int a = 0; a < kh; a++) {
            int r = plane + (row + a) * w + col;
            for (int b = 0; b < kw; b++) if (xs[r + b] > xs[best]) best = r + b;
        }
        return best;
    }
}
