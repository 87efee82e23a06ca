package dev.reparam.tensor;

import static dev.reparam.tensor.CpuBackend.data;

/** Pointwise nonlinearities; elementwise work needs no fixed reduction order, so chunks are free-form. */
final class CpuActivations {
    private CpuActivations() {}

    static void activation(Activation kind, Tensor x, Tensor y) {
        double[] xs = data(x), ys = data(y);
        int xo = x.offset(), yo = y.offset(), n = x.size(), chunks = Parallel.chunkCount(n);
        Parallel.forEach(chunks, n / chunks + 1L, c -> {
            for (int i = Parallel.chunkStart(n, c), e = Parallel.chunkStart(n, c + 1); i < e; i++) {
                double v = xs[xo + i];
                ys[yo + i] = switch (kind) {
                    case RELU -> v > 0 ? v : 0;
                    case SIGMOID -> 1 / (1 + Math.exp(-v));
                    case TANH -> Math.tanh(v);
                };
            }
        });
    }

    static void activationBackward(Activation kind, Tensor x, Tensor y, Tensor dy, Tensor dx) {
        double[] xs = data(x), ys = data(y), g = data(dy), d = data(dx);
        int xo = x.offset(), yo = y.offset(), go = dy.offset(), dxo = dx.offset();
        int n = x.size(), chunks = Parallel.chunkCount(n);
        Parallel.forEach(chunks, n / chunks + 1L, c -> {
            for (int i = Parallel.chunkStart(n, c), e = Parallel.chunkStart(n, c + 1); i < e; i++) {
                double yv = ys[yo + i];
                double slope = switch (kind) {
                    case RELU -> xs[xo + i] > 0 ? 1 : 0;
                    case SIGMOID -> yv * (1 - yv);
                    case TANH -> 1 - yv * yv;
                };
                d[dxo + i] += slope * g[go + i];
            }
        });
    }
}
