package dev.reparam.tensor.cpu;

import dev.reparam.tensor.Parallel;
import dev.reparam.tensor.Tensor;

import static dev.reparam.tensor.cpu.CpuBackend.data;

/** NeRF-style encoding: per input feature the group [x, sin(2^f pi x), cos(2^f pi x) for f < F]. */
final class CpuPositionalEncoding {
    private CpuPositionalEncoding() {}

    static void forward(Tensor x, int frequencies, Tensor y) {
        double[] xs = data(x), ys = data(y);
        int xo = x.offset(), yo = y.offset(), rows = x.dim(0), d = x.rowSize(), group = 1 + 2 * frequencies;
        Parallel.forEach(rows, (long) d * group * 20, r -> {
            for (int j = 0; j < d; j++) {
                double v = xs[xo + r * d + j];
                int base = yo + (r * d + j) * group;
                ys[base] = v;
                double scale = Math.PI;
                for (int f = 0; f < frequencies; f++, scale *= 2) {
                    ys[base + 1 + 2 * f] = Math.sin(scale * v);
                    ys[base + 2 + 2 * f] = Math.cos(scale * v);
                }
            }
        });
    }

    static void backward(Tensor x, int frequencies, Tensor dy, Tensor dx) {
        double[] xs = data(x), g = data(dy), d = data(dx);
        int xo = x.offset(), go = dy.offset(), dxo = dx.offset(), rows = x.dim(0), dim = x.rowSize();
        int group = 1 + 2 * frequencies;
        Parallel.forEach(rows, (long) dim * group * 20, r -> {
            for (int j = 0; j < dim; j++) {
                double v = xs[xo + r * dim + j];
                int base = go + (r * dim + j) * group;
                double s = g[base], scale = Math.PI;
                for (int f = 0; f < frequencies; f++, scale *= 2) {
                    s += scale * (Math.cos(scale * v) * g[base + 1 + 2 * f] - Math.sin(scale * v) * g[base + 2
                            + 2 * f]);
                }
                d[dxo + r * dim + j] += s;
            }
        });
    }
}
