package dev.reparam.tensor.cpu;

import dev.reparam.tensor.Parallel;
import dev.reparam.tensor.Tensor;

import static dev.reparam.tensor.cpu.CpuBackend.data;

/**
 * Batch normalisation over x viewed as [B, C, S], as rows of S contiguous values. Each kernel
 * sweeps the rows in memory order, in parallel, leaving one partial result per row; the partials
 * of a channel are then combined on one thread in batch order. The combination order depends only
 * on the shape, so results are the same for any thread count, and the sweeps stream through
 * memory instead of striding by C x S between the rows of one channel.
 */
final class CpuBatchNorm {
    private CpuBatchNorm() {}

    private static int spatial(Tensor x) {
        return x.rank() <= 2 ? 1 : x.size() / (x.dim(0) * x.dim(1));
    }

    static void forward(Tensor x, Tensor gamma, Tensor beta, double eps, Tensor y, Tensor mean, Tensor invStd) {
        double[] xs = data(x), ys = data(y), gs = data(gamma), bs = data(beta), ms = data(mean), is = data(invStd);
        int batch = x.dim(0), ch = x.dim(1), s = spatial(x), xo = x.offset(), rows = batch * ch;
        double count = (double) batch * s;
        // Per row: its mean and squared deviations from it, two passes while the row is in L1.
        double[] rowMean = new double[rows], rowM2 = new double[rows];
        Parallel.forEach(rows, 2L * s, r -> {
            int at = xo + r * s;
            double m = RowSums.sum(xs, at, s) / s;
            rowMean[r] = m;
            rowM2[r] = RowSums.squaredDeviations(xs, at, s, m);
        });
        double[] scale = new double[ch], shift = new double[ch], mus = new double[ch];
        for (int c = 0; c < ch; c++) {
            // Chan, Golub and LeVeque's pairwise update merges the rows exactly as the two-pass
            // statistics of their union, without the cancellation of a sum-of-squares formula.
            double mu = 0, m2 = 0;
            for (int n = 0; n < batch; n++) {
                double seen = (double) n * s, total = seen + s, delta = rowMean[n * ch + c] - mu;
                mu += delta * (s / total);
                m2 += rowM2[n * ch + c] + delta * delta * (seen * s / total);
            }
            double inv = 1 / Math.sqrt(m2 / count + eps);
            ms[mean.offset() + c] = mu;
            is[invStd.offset() + c] = inv;
            mus[c] = mu;
            scale[c] = inv * gs[gamma.offset() + c];
            shift[c] = bs[beta.offset() + c];
        }
        normalise(xs, xo, ys, y.offset(), batch, ch, s, mus, scale, shift);
    }

    static void inference(Tensor x, Tensor gamma, Tensor beta, Tensor mean, Tensor var, double eps, Tensor y) {
        double[] xs = data(x), ys = data(y), gs = data(gamma), bs = data(beta), ms = data(mean), vs = data(var);
        int batch = x.dim(0), ch = x.dim(1), s = spatial(x);
        double[] scale = new double[ch], shift = new double[ch], mus = new double[ch];
        for (int c = 0; c < ch; c++) {
            mus[c] = ms[mean.offset() + c];
            scale[c] = gs[gamma.offset() + c] / Math.sqrt(vs[var.offset() + c] + eps);
            shift[c] = bs[beta.offset() + c];
        }
        normalise(xs, x.offset(), ys, y.offset(), batch, ch, s, mus, scale, shift);
    }

    /** y = (x - mu[c]) * scale[c] + shift[c], row by row. */
    private static void normalise(double[] xs, int xo, double[] ys, int yo, int batch, int ch, int s,
                                  double[] mu, double[] scale, double[] shift) {
        Parallel.forEach(batch * ch, s, r -> {
            int c = r % ch, xr = xo + r * s, yr = yo + r * s;
            double m = mu[c], k = scale[c], b = shift[c];
            for (int i = 0; i < s; i++) ys[yr + i] = (xs[xr + i] - m) * k + b;
        });
    }

    static void backward(Tensor x, Tensor gamma, Tensor mean, Tensor invStd, Tensor dy,
                         Tensor dx, Tensor dgamma, Tensor dbeta) {
        double[] xs = data(x), gs = data(gamma), ms = data(mean), is = data(invStd), g = data(dy);
        double[] dxs = dx == null ? null : data(dx);
        double[] dgs = dgamma == null ? null : data(dgamma), dbs = dbeta == null ? null : data(dbeta);
        int batch = x.dim(0), ch = x.dim(1), s = spatial(x), xo = x.offset(), go = dy.offset(), rows = batch * ch;
        double count = (double) batch * s;
        // Pass 1, per row: sum of dy and of dy (x - mu).
        double[] rowDy = new double[rows], rowDyDev = new double[rows];
        Parallel.forEach(rows, 2L * s, r -> {
            double mu = ms[mean.offset() + r % ch];
            rowDy[r] = RowSums.sum(g, go + r * s, s);
            rowDyDev[r] = RowSums.dotDeviations(g, go + r * s, xs, xo + r * s, s, mu);
        });
        double[] mus = new double[ch], invs = new double[ch], k = new double[ch], meanDy = new double[ch];
        double[] meanDyXhat = new double[ch];
        for (int c = 0; c < ch; c++) {
            double sumDy = 0, sumDyDev = 0;
            for (int n = 0; n < batch; n++) {
                sumDy += rowDy[n * ch + c];
                sumDyDev += rowDyDev[n * ch + c];
            }
            double inv = is[invStd.offset() + c], sumDyXhat = sumDyDev * inv;
            if (dgs != null) dgs[dgamma.offset() + c] += sumDyXhat;
            if (dbs != null) dbs[dbeta.offset() + c] += sumDy;
            mus[c] = ms[mean.offset() + c];
            invs[c] = inv;
            k[c] = gs[gamma.offset() + c] * inv;
            meanDy[c] = sumDy / count;
            meanDyXhat[c] = sumDyXhat / count;
        }
        if (dxs == null) return;
        // Pass 2: dx = gamma * invStd * (dy - mean(dy) - xhat * mean(dy * xhat)).
        int dxo = dx.offset();
        Parallel.forEach(rows, 3L * s, r -> {
            int c = r % ch, xr = xo + r * s, gr = go + r * s, dr = dxo + r * s;
            double mu = mus[c], inv = invs[c], kc = k[c], mdy = meanDy[c], mdx = meanDyXhat[c];
            for (int i = 0; i < s; i++) {
                double xhat = (xs[xr + i] - mu) * inv;
                dxs[dr + i] += kc * (g[gr + i] - mdy - xhat * mdx);
            }
        });
    }
}
