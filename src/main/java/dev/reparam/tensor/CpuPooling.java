package dev.reparam.tensor;

import static dev.reparam.tensor.CpuBackend.data;

/** Non-overlapping max pooling; ties go to the first maximum in row-major window order. */
final class CpuPooling {
    private CpuPooling() {}

    static void maxPool2d(Tensor x, int kh, int kw, Tensor y) {
        double[] xs = data(x), ys = data(y);
        int xo = x.offset(), yo = y.offset();
        int planes = x.dim(0) * x.dim(1), h = x.dim(2), w = x.dim(3), oh = y.dim(2), ow = y.dim(3);
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
        Parallel.forEach(planes, (long) h * w, p -> {
            int xp = xo + p * h * w, gp = go + p * oh * ow;
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    d[dxo - xo + argMax(xs, xp, w, i * kh, j * kw, kh, kw)] += g[gp + i * ow + j];
                }
            }
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
