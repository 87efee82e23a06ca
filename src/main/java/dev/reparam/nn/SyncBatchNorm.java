package dev.reparam.nn;

import dev.reparam.autodiff.Tape;
import dev.reparam.autodiff.Var;
import dev.reparam.parallel.Communicator;
import dev.reparam.tensor.Backend;
import dev.reparam.tensor.Tensor;

import java.util.Arrays;

/**
 * Training-mode batch normalisation over a batch spread across the ranks of a data-parallel run,
 * as PyTorch's SyncBatchNorm: the statistics are those of the whole batch, so K ranks compute
 * the function one rank computes on all problems. Forward reduces per channel the sum (for the
 * mean) and then the squared deviations (two passes, as the one-rank kernel, rather than
 * E[x^2] - E[x]^2, which cancels); backward reduces sum(dy) and sum(dy xhat), the two batch
 * terms of dx. gamma's and beta's gradients stay local: the run's gradient all-reduce sums them.
 * Evaluated on the host (three small collectives per layer and iteration), in float64.
 */
final class SyncBatchNorm {
    private SyncBatchNorm() {}

    /** y = gamma (x - mean) invStd + beta; fills {@code mean}, {@code invStd} and the whole batch's count. */
    static Var forward(Tape tape, Var x, Var gamma, Var beta, double eps, Communicator world, Tensor mean,
                       Tensor invStd, int[] count) {
        Backend be = tape.backend();
        Tensor xv = x.value();
        int b = xv.dim(0), c = xv.dim(1), inner = xv.size() / (b * c);
        double[] xs = be.toHost(xv), g = be.toHost(gamma.value()), bt = be.toHost(beta.value());
        double[] sums = new double[c + 1];
        for (int i = 0; i < b; i++) for (int ch = 0; ch < c; ch++) {
            int o = (i * c + ch) * inner;
            for (int k = 0; k < inner; k++) sums[ch] += xs[o + k];
        }
        sums[c] = (double) b * inner;
        world.sumInRankOrder(sums);
        double m = sums[c];
        double[] mu = new double[c], dev = new double[c], inv = new double[c];
        for (int ch = 0; ch < c; ch++) mu[ch] = sums[ch] / m;
        for (int i = 0; i < b; i++) for (int ch = 0; ch < c; ch++) {
            int o = (i * c + ch) * inner;
            for (int k = 0; k < inner; k++) {
                double d = xs[o + k] - mu[ch];
                dev[ch] += d * d;
            }
        }
        world.sumInRankOrder(dev);
        for (int ch = 0; ch < c; ch++) inv[ch] = 1 / Math.sqrt(dev[ch] / m + eps);
        double[] xhat = new double[xs.length], y = new double[xs.length];
        for (int i = 0; i < b; i++) for (int ch = 0; ch < c; ch++) {
            int o = (i * c + ch) * inner;
            for (int k = 0; k < inner; k++) {
                xhat[o + k] = (xs[o + k] - mu[ch]) * inv[ch];
                y[o + k] = g[ch] * xhat[o + k] + bt[ch];
            }
        }
        be.copyFromHost(mu, mean);
        be.copyFromHost(inv, invStd);
        count[0] = (int) m;
        return tape.record(be.fromHost(y, xv.shape()), o -> backward(be, x, gamma, beta, world, xhat, g, inv, m, o),
                x, gamma, beta);
    }

    private static void backward(Backend be, Var x, Var gamma, Var beta, Communicator world, double[] xhat,
                                 double[] g, double[] inv, double m, Var o) {
        double[] dy = be.toHost(o.gradOrNull());
        int c = g.length, b = x.value().dim(0), inner = xhat.length / (b * c);
        double[] sums = new double[2 * c]; // sum(dy) per channel, then sum(dy xhat)
        for (int i = 0; i < b; i++) for (int ch = 0; ch < c; ch++) {
            int off = (i * c + ch) * inner;
            for (int k = 0; k < inner; k++) {
                sums[ch] += dy[off + k];
                sums[c + ch] += dy[off + k] * xhat[off + k];
            }
        }
        if (beta.gradOrNull() != null) be.axpy(1.0, be.fromHost(Arrays.copyOf(sums, c), c), beta.gradOrNull());
        if (gamma.gradOrNull() != null) {
            be.axpy(1.0, be.fromHost(Arrays.copyOfRange(sums, c, 2 * c), c), gamma.gradOrNull());
        }
        // every rank reduces, whether or not it wants dx, so the collectives stay matched
        world.sumInRankOrder(sums);
        if (x.gradOrNull() == null) return;
        double[] dx = new double[dy.length];
        for (int i = 0; i < b; i++) for (int ch = 0; ch < c; ch++) {
            int off = (i * c + ch) * inner;
            double meanDy = sums[ch] / m, meanDyXhat = sums[c + ch] / m;
            for (int k = 0; k < inner; k++) {
                dx[off + k] = g[ch] * inv[ch] * (dy[off + k] - meanDy - xhat[off + k] * meanDyXhat);
            }
        }
        be.axpy(1.0, be.fromHost(dx, x.value().shape()), x.gradOrNull());
    }
}
