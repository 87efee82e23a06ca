package dev.reparam.tensor;

import static dev.reparam.tensor.CpuBackend.data;

/**
 * Batch normalisation over x viewed as [B, C, S]. Work is split by channel: each channel's
 * statistics and gradients are summed by one thread in a fixed order, so results are deterministic.
 */
final class CpuBatchNorm {
    private CpuBatchNorm() {}

    private static int spatial(Tensor x) {
        return x.rank() <= 2 ? 1 : x.size() / (x.dim(0) * x.dim(1));
    }

    static void forward(Tensor x, Tensor gamma, Tensor beta, double eps, Tensor y, Tensor mean, Tensor invStd) {
        double[] xs = data(x), ys = data(y), gs = data(gamma), bs = data(beta), ms = data(mean), is = data(invStd);
        int batch = x.dim(0), ch = x.dim(1), s = spatial(x), xo = x.offset(), yo = y.offset();
        Parallel.forEach(ch, 3L * batch * s, c -> {
            double sum = 0;
            for (int n = 0; n < batch; n++) {
                for (int i = 0, r = xo + (n * ch + c) * s; i < s; i++) sum += xs[r + i];
            }
            double mu = sum / ((double) batch * s), sq = 0;
            for (int n = 0; n < batch; n++) {
                for (int i = 0, r = xo + (n * ch + c) * s; i < s; i++) {
                    double e = xs[r + i] - mu;
                    sq += e * e;
                }
            }
            double inv = 1 / Math.sqrt(sq / ((double) batch * s) + eps);
            ms[mean.offset() + c] = mu;
            is[invStd.offset() + c] = inv;
            normalise(xs, xo, ys, yo, batch, ch, s, c, mu, inv * gs[gamma.offset() + c], bs[beta.offset() + c]);
        });
    }

    static void inference(Tensor x, Tensor gamma, Tensor beta, Tensor mean, Tensor var, double eps, Tensor y) {
        double[] xs = data(x), ys = data(y), gs = data(gamma), bs = data(beta), ms = data(mean), vs = data(var);
        int batch = x.dim(0), ch = x.dim(1), s = spatial(x), xo = x.offset(), yo = y.offset();
        Parallel.forEach(ch, (long) batch * s, c -> {
            double scale = gs[gamma.offset() + c] / Math.sqrt(vs[var.offset() + c] + eps);
            normalise(xs, xo, ys, yo, batch, ch, s, c, ms[mean.offset() + c], scale, bs[beta.offset() + c]);
        });
    }

    /** y = (x - mu) * scale + shift for channel c. */
    private static void normalise(double[] xs, int xo, double[] ys, int yo, int batch, int ch, int s, int c,
                                  double mu, double scale, double shift) {
        for (int n = 0; n < batch; n++) {
            int xr = xo + (n * ch + c) * s, yr = yo + (n * ch + c) * s;
            for (int i = 0; i < s; i++) ys[yr + i] = (xs[xr + i] - mu) * scale + shift;
        }
    }

    static void backward(Tensor x, Tensor gamma, Tensor mean, Tensor invStd, Tensor dy,
                         Tensor dx, Tensor dgamma, Tensor dbeta) {
        double[] xs = data(x), gs = data(gamma), ms = data(mean), is = data(invStd), g = data(dy);
        double[] dxs = dx == null ? null : data(dx);
        double[] dgs = dgamma == null ? null : data(dgamma), dbs = dbeta == null ? null : data(dbeta);
        int batch = x.dim(0), ch = x.dim(1), s = spatial(x), xo = x.offset(), go = dy.offset();
        int dxo = dx == null ? 0 : dx.offset();
        double count = (double) batch * s;
        Parallel.forEach(ch, 3L * batch * s, c -> {
            double mu = ms[mean.offset() + c], inv = is[invStd.offset() + c];
            double sumDy = 0, sumDyXhat = 0;
            for (int n = 0; n < batch; n++) {
                int xr = xo + (n * ch + c) * s, gr = go + (n * ch + c) * s;
                for (int i = 0; i < s; i++) {
                    sumDy += g[gr + i];
                    sumDyXhat += g[gr + i] * (xs[xr + i] - mu) * inv;
                }
            }
            if (dgs != null) dgs[dgamma.offset() + c] += sumDyXhat;
            if (dbs != null) dbs[dbeta.offset() + c] += sumDy;
            if (dxs == null) return;
            // dx = gamma * invStd * (dy - mean(dy) - xhat * mean(dy * xhat))
            double k = gs[gamma.offset() + c] * inv, meanDy = sumDy / count, meanDyXhat = sumDyXhat / count;
            for (int n = 0; n < batch; n++) {
                int xr = xo + (n * ch + c) * s, gr = go + (n * ch + c) * s, dr = dxo + (n * ch + c) * s;
                for (int i = 0; i < s; i++) {
                    double xhat = (xs[xr + i] - mu) * inv;
                    dxs[dr + i] += k * (g[gr + i] - meanDy - xhat * meanDyXhat);
                }
            }
        });
    }
}
