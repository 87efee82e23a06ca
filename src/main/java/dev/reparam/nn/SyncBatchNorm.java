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
 * mean) and then the squared deviations from that mean (two passes, as the one-rank kernel,
 * rather than E[x^2] - E[x]^2, which cancels); backward reduces sum(dy) and sum(dy xhat), the two
 * batch terms of dx. gamma's and beta's gradients stay local: the run's gradient all-reduce sums
 * them.
 *
 * <p>Everything per element runs on the backend, through its batch-norm ops with chosen
 * statistics (so on a GPU the activations stay on the device); only per-channel vectors cross to
 * the host for the three small collectives per layer and iteration:
 * <ul>
 *   <li>sum(x) is batchNormBackward's dbeta with dy = x;
 *   <li>sum((x - mean)^2) is its dgamma for d = x - mean, which batchNormInference makes with
 *       gamma 1, variance 1 and eps 0 (scale exactly 1);
 *   <li>dx = gamma invStd (dy - sum(dy)/m) - gamma invStd sum(dy xhat)/m xhat, two more
 *       batchNormInference calls with per-channel scales (the second normalises x itself).
 * </ul>
 */
final class SyncBatchNorm {
    private SyncBatchNorm() {}

    /** y = gamma (x - mean) invStd + beta; fills {@code mean}, {@code invStd} and the whole batch's count. */
    static Var forward(Tape tape, Var x, Var gamma, Var beta, double eps, Communicator world, Tensor mean,
                       Tensor invStd, int[] count) {
        Backend be = tape.backend();
        Tensor xv = x.value();
        int c = xv.dim(1);
        Tensor ones = constant(be, c, 1.0), zeros = constant(be, c, 0.0);
        // pass 1: the channel sums, and the count, over every rank
        Tensor partial = be.zeros(c);
        be.batchNormBackward(xv, ones, zeros, ones, xv, null, null, partial);
        double[] sums = Arrays.copyOf(be.toHost(partial), c + 1);
        sums[c] = (double) xv.size() / c;
        world.sumInRankOrder(sums);
        double m = sums[c];
        double[] mu = new double[c];
        for (int ch = 0; ch < c; ch++) mu[ch] = sums[ch] / m;
        Tensor muT = be.fromHost(mu, c);
        // pass 2: the squared deviations from the whole batch's mean
        Tensor d = be.zeros(xv.shape());
        be.batchNormInference(xv, ones, zeros, muT, ones, 0.0, d);
        Tensor squares = be.zeros(c);
        be.batchNormBackward(d, ones, zeros, ones, d, null, squares, null);
        double[] dev = be.toHost(squares);
        world.sumInRankOrder(dev);
        double[] var = new double[c], inv = new double[c];
        for (int ch = 0; ch < c; ch++) {
            var[ch] = dev[ch] / m;
            inv[ch] = 1 / Math.sqrt(var[ch] + eps);
        }
        Tensor varT = be.fromHost(var, c);
        Tensor y = be.zeros(xv.shape());
        be.batchNormInference(xv, gamma.value(), beta.value(), muT, varT, eps, y);
        be.copyFromHost(mu, mean);
        be.copyFromHost(inv, invStd);
        count[0] = (int) m;
        Stats stats = new Stats(muT, varT, invStd, inv, m, ones, zeros);
        return tape.record(y, o -> backward(be, x, gamma, beta, world, stats, eps, o), x, gamma, beta);
    }

    /** What backward needs of forward: the whole batch's statistics and the per-channel constants. */
    private record Stats(Tensor mean, Tensor var, Tensor invStd, double[] inv, double m, Tensor ones, Tensor zeros) {}

    private static void backward(Backend be, Var x, Var gamma, Var beta, Communicator world, Stats st, double eps,
                                 Var o) {
        Tensor mean = st.mean(), var = st.var(), ones = st.ones(), zeros = st.zeros();
        double[] inv = st.inv();
        double m = st.m();
        Tensor dy = o.gradOrNull(), xv = x.value();
        int c = inv.length;
        Tensor dBeta = be.zeros(c), dGamma = be.zeros(c);
        // this rank's sum(dy) and sum(dy xhat), xhat with the whole batch's statistics
        be.batchNormBackward(xv, gamma.value(), mean, st.invStd(), dy, null, dGamma, dBeta);
        if (beta.gradOrNull() != null) be.axpy(1.0, dBeta, beta.gradOrNull());
        if (gamma.gradOrNull() != null) be.axpy(1.0, dGamma, gamma.gradOrNull());
        double[] sums = new double[2 * c]; // sum(dy) per channel, then sum(dy xhat)
        System.arraycopy(be.toHost(dBeta), 0, sums, 0, c);
        System.arraycopy(be.toHost(dGamma), 0, sums, c, c);
        // every rank reduces, whether or not it wants dx, so the collectives stay matched
        world.sumInRankOrder(sums);
        if (x.gradOrNull() == null) return;
        double[] g = be.toHost(gamma.value()), k = new double[c], meanDy = new double[c], kXhat = new double[c];
        for (int ch = 0; ch < c; ch++) {
            k[ch] = g[ch] * inv[ch];
            meanDy[ch] = sums[ch] / m;
            kXhat[ch] = k[ch] * sums[c + ch] / m;
        }
        // k (dy - mean(dy)), then k mean(dy xhat) xhat, xhat = (x - mean) / sqrt(var + eps)
        Tensor first = be.zeros(xv.shape()), second = be.zeros(xv.shape());
        be.batchNormInference(dy, be.fromHost(k, c), zeros, be.fromHost(meanDy, c), ones, 0.0, first);
        be.batchNormInference(xv, be.fromHost(kXhat, c), zeros, mean, var, eps, second);
        be.axpy(1.0, first, x.gradOrNull());
        be.axpy(-1.0, second, x.gradOrNull());
    }

    private static Tensor constant(Backend be, int c, double value) {
        Tensor t = be.zeros(c);
        be.fill(t, value);
        return t;
    }
}
