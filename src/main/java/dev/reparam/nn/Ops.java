package dev.reparam.nn;

import dev.reparam.autodiff.Tape;
import dev.reparam.autodiff.Var;
import dev.reparam.tensor.Activation;
import dev.reparam.tensor.Backend;
import dev.reparam.tensor.Tensor;

import java.util.Arrays;

/**
 * Differentiable ops: each runs one backend kernel forward and records its vector-Jacobian
 * product on the tape. Shapes are checked here, so kernels can assume them. The batch is always
 * the first dimension.
 */
public final class Ops {
    private Ops() {}

    /** y[B,Out] = x[B,In] w[Out,In]^T + b[Out]; b may be null. */
    public static Var linear(Tape tape, Var x, Var w, Var b) {
        Tensor xv = x.value(), wv = w.value();
        require(xv.rank() == 2 && wv.rank() == 2 && xv.dim(1) == wv.dim(1)
                && (b == null || Arrays.equals(b.shape(), new int[] {wv.dim(0)})), "linear", x, w, b);
        Backend be = tape.backend();
        Tensor y = be.zeros(xv.dim(0), wv.dim(0));
        be.linear(xv, wv, b == null ? null : b.value(), y);
        return tape.record(y, o -> be.linearBackward(xv, wv, o.gradOrNull(), x.gradOrNull(), w.gradOrNull(),
                b == null ? null : b.gradOrNull()), x, w, b);
    }

    /** x[B,Cin,L], w[Cout,Cin,K], b[Cout] (may be null): stride-1 cross-correlation with zero padding pad. */
    public static Var conv1d(Tape tape, Var x, Var w, Var b, int pad) {
        Tensor xv = x.value(), wv = w.value();
        require(xv.rank() == 3 && wv.rank() == 3 && xv.dim(1) == wv.dim(1) && pad >= 0
                && xv.dim(2) + 2 * pad - wv.dim(2) + 1 > 0 && biasFits(b, wv), "conv1d", x, w, b);
        Backend be = tape.backend();
        Tensor y = be.zeros(xv.dim(0), wv.dim(0), xv.dim(2) + 2 * pad - wv.dim(2) + 1);
        be.conv1d(xv, wv, b == null ? null : b.value(), pad, y);
        return tape.record(y, o -> be.conv1dBackward(xv, wv, o.gradOrNull(), pad, x.gradOrNull(), w.gradOrNull(),
                b == null ? null : b.gradOrNull()), x, w, b);
    }

    /** x[B,Cin,H,W], w[Cout,Cin,KH,KW], b[Cout] (may be null): stride-1 cross-correlation with zero padding. */
    public static Var conv2d(Tape tape, Var x, Var w, Var b, int padH, int padW) {
        Tensor xv = x.value(), wv = w.value();
        int oh = xv.rank() == 4 && wv.rank() == 4 ? xv.dim(2) + 2 * padH - wv.dim(2) + 1 : 0;
        int ow = xv.rank() == 4 && wv.rank() == 4 ? xv.dim(3) + 2 * padW - wv.dim(3) + 1 : 0;
        require(oh > 0 && ow > 0 && xv.dim(1) == wv.dim(1) && padH >= 0 && padW >= 0 && biasFits(b, wv), "conv2d", x,
                w, b);
        Backend be = tape.backend();
        Tensor y = be.zeros(xv.dim(0), wv.dim(0), oh, ow);
        be.conv2d(xv, wv, b == null ? null : b.value(), padH, padW, y);
        return tape.record(y, o -> be.conv2dBackward(xv, wv, o.gradOrNull(), padH, padW, x.gradOrNull(),
                w.gradOrNull(), b == null ? null : b.gradOrNull()), x, w, b);
    }

    /**
     * Training-mode batch normalisation over x[B,C,...] with the batch's statistics. The batch
     * mean and 1/sqrt(var + eps) are written to {@code batchMean} and {@code batchInvStd} ([C]
     * each) so the caller can update running statistics.
     */
    public static Var batchNorm(Tape tape, Var x, Var gamma, Var beta, double eps, Tensor batchMean,
            Tensor batchInvStd) {
        Tensor xv = x.value();
        int[] c = xv.rank() >= 2 ? new int[] {xv.dim(1)} : null;
        require(c != null && Arrays.equals(gamma.shape(), c) && Arrays.equals(beta.shape(), c)
                && Arrays.equals(batchMean.shape(), c) && Arrays.equals(batchInvStd.shape(), c), "batchNorm", x, gamma,
                beta);
        Backend be = tape.backend();
        Tensor y = be.zeros(xv.shape());
        be.batchNorm(xv, gamma.value(), beta.value(), eps, y, batchMean, batchInvStd);
        return tape.record(y, o -> be.batchNormBackward(xv, gamma.value(), batchMean, batchInvStd, o.gradOrNull(),
                x.gradOrNull(), gamma.gradOrNull(), beta.gradOrNull()), x, gamma, beta);
    }

    /** Evaluation-mode batch normalisation with fixed statistics: y = gamma (x - mean) / sqrt(var + eps) + beta. */
    public static Var batchNormInference(Tape tape, Var x, Var gamma, Var beta, Tensor mean, Tensor var, double eps) {
        Tensor xv = x.value();
        require(xv.rank() >= 2 && Arrays.equals(gamma.shape(), new int[] {xv.dim(1)})
                && gamma.value().sameShape(beta.value()) && gamma.value().sameShape(mean)
                && gamma.value().sameShape(var), "batchNormInference", x, gamma, beta);
        Backend be = tape.backend();
        Tensor y = be.zeros(xv.shape());
        be.batchNormInference(xv, gamma.value(), beta.value(), mean, var, eps, y);
        return tape.record(y, o -> backwardInference(be, x, gamma, beta, mean, var, eps, o), x, gamma, beta);
    }

    /**
     * With fixed statistics the op is affine per channel, and no kernel is dedicated to its VJP,
     * so it reuses two: dx += gamma / sd * dy is the inference kernel applied to dy with zero mean
     * and shift; dgamma and dbeta are the training backward's sums evaluated at the fixed
     * statistics (with dx not requested, the batch-statistics terms never enter).
     */
    private static void backwardInference(Backend be, Var x, Var gamma, Var beta, Tensor mean, Tensor var,
                                          double eps, Var o) {
        Tensor dy = o.gradOrNull(), dx = x.gradOrNull();
        if (dx != null) {
            Tensor zero = be.zeros(mean.shape()), scaled = be.zeros(dy.shape());
            be.batchNormInference(dy, gamma.value(), zero, zero, var, eps, scaled);
            be.axpy(1.0, scaled, dx);
        }
        if (gamma.gradOrNull() == null && beta.gradOrNull() == null) return;
        double[] inv = be.toHost(var);
        for (int c = 0; c < inv.length; c++) inv[c] = 1 / Math.sqrt(inv[c] + eps);
        be.batchNormBackward(x.value(), gamma.value(), mean, be.fromHost(inv, mean.shape()), dy,
                null, gamma.gradOrNull(), beta.gradOrNull());
    }

    /** Max pooling of x[B,C,H,W] over non-overlapping kh x kw windows (floor); ties go to the first maximum. */
    public static Var maxPool2d(Tape tape, Var x, int kh, int kw) {
        Tensor xv = x.value();
        require(xv.rank() == 4 && kh >= 1 && kw >= 1 && xv.dim(2) >= kh && xv.dim(3) >= kw, "maxPool2d", x);
        Backend be = tape.backend();
        Tensor y = be.zeros(xv.dim(0), xv.dim(1), xv.dim(2) / kh, xv.dim(3) / kw);
        be.maxPool2d(xv, kh, kw, y);
        return tape.record(y, o -> {
            if (x.gradOrNull() != null) be.maxPool2dBackward(xv, kh, kw, o.gradOrNull(), x.gradOrNull());
        }, x);
    }

    /** Max pooling of x[B,C,L] over non-overlapping windows of k (floor): the 2-d kernel on [B,C,1,L] views. */
    public static Var maxPool1d(Tape tape, Var x, int k) {
        Tensor xv = x.value();
        require(xv.rank() == 3 && k >= 1 && xv.dim(2) >= k, "maxPool1d", x);
        int b = xv.dim(0), c = xv.dim(1), len = xv.dim(2);
        Backend be = tape.backend();
        Tensor y = be.zeros(b, c, len / k), x4 = xv.reshape(b, c, 1, len);
        be.maxPool2d(x4, 1, k, y.reshape(b, c, 1, len / k));
        return tape.record(y, o -> {
            if (x.gradOrNull() != null) {
                be.maxPool2dBackward(x4, 1, k, o.gradOrNull().reshape(b, c, 1, len / k),
                        x.gradOrNull().reshape(b, c, 1, len));
            }
        }, x);
    }

    public static Var activation(Tape tape, Activation kind, Var x) {
        Backend be = tape.backend();
        Tensor xv = x.value(), y = be.zeros(xv.shape());
        be.activation(kind, xv, y);
        return tape.record(y, o -> be.activationBackward(kind, xv, y, o.gradOrNull(), x.gradOrNull()), x);
    }

    public static Var relu(Tape tape, Var x) {
        return activation(tape, Activation.RELU, x);
    }

    public static Var sigmoid(Tape tape, Var x) {
        return activation(tape, Activation.SIGMOID, x);
    }

    public static Var tanh(Tape tape, Var x) {
        return activation(tape, Activation.TANH, x);
    }

    /** x[B,D] to y[B, D(1 + 2F)]: per feature [x, sin(2^f pi x), cos(2^f pi x) for f < F]. */
    public static Var positionalEncoding(Tape tape, Var x, int frequencies) {
        Tensor xv = x.value();
        require(xv.rank() == 2 && frequencies >= 0, "positionalEncoding", x);
        Backend be = tape.backend();
        Tensor y = be.zeros(xv.dim(0), xv.dim(1) * (1 + 2 * frequencies));
        be.positionalEncoding(xv, frequencies, y);
        return tape.record(y, o -> be.positionalEncodingBackward(xv, frequencies, o.gradOrNull(), x.gradOrNull()), x);
    }

    /** Bounded map xi = mid + half * tanh(z), column-wise over z[B,D]. */
    public static Var scaledTanh(Tape tape, Var z, double[] mid, double[] half) {
        Tensor zv = z.value();
        if (zv.rank() != 2 || mid.length != zv.dim(1) || half.length != zv.dim(1)) {
            throw new IllegalArgumentException("scaledTanh: z " + Arrays.toString(zv.shape()) + " with "
                    + mid.length + " mid and " + half.length + " half values");
        }
        double[] m = mid.clone(), h = half.clone();
        Backend be = tape.backend();
        Tensor xi = be.zeros(zv.shape());
        be.scaledTanh(zv, m, h, xi);
        return tape.record(xi, o -> be.scaledTanhBackward(zv, h, o.gradOrNull(), z.gradOrNull()), z);
    }

    /** The same elements under a new shape; the gradient flows back through a reshaped view of it. */
    public static Var reshape(Tape tape, Var x, int... shape) {
        Tensor xv = x.value();
        if (Tensor.sizeOf(shape) != xv.size()) {
            throw new IllegalArgumentException("reshape: cannot reshape " + Arrays.toString(xv.shape())
                    + " to " + Arrays.toString(shape));
        }
        Backend be = tape.backend();
        return tape.record(xv.reshape(shape), o -> be.axpy(1.0, o.gradOrNull().reshape(xv.shape()), x.gradOrNull()), x);
    }

    /** [B, ...] to [B, rowSize]. */
    public static Var flatten(Tape tape, Var x) {
        Tensor xv = x.value();
        require(xv.rank() >= 1, "flatten", x);
        return reshape(tape, x, xv.dim(0), xv.rowSize());
    }

    public static Var add(Tape tape, Var a, Var b) {
        require(a.value().sameShape(b.value()), "add", a, b);
        Backend be = tape.backend();
        Tensor out = be.zeros(a.shape());
        be.add(a.value(), b.value(), out);
        return tape.record(out, o -> {
            if (a.gradOrNull() != null) be.axpy(1.0, o.gradOrNull(), a.gradOrNull());
            if (b.gradOrNull() != null) be.axpy(1.0, o.gradOrNull(), b.gradOrNull());
        }, a, b);
    }

    /** loss[B] = mean over each row of (a - target)^2, against a constant target of a's shape. */
    public static Var rowMeanSquaredError(Tape tape, Var a, Tensor target) {
        Tensor av = a.value();
        if (!av.sameShape(target) || av.rank() < 1) {
            throw new IllegalArgumentException("rowMeanSquaredError: prediction " + Arrays.toString(av.shape())
                    + " vs target " + Arrays.toString(target.shape()));
        }
        Backend be = tape.backend();
        Tensor loss = be.zeros(av.dim(0));
        be.rowMeanSquaredError(av, target, loss);
        return tape.record(loss, o -> be.rowMeanSquaredErrorBackward(av, target, o.gradOrNull(), a.gradOrNull()), a);
    }

    /** Sum of all elements, as a one-element tensor of shape [1]. */
    public static Var sum(Tape tape, Var x) {
        Backend be = tape.backend();
        Tensor xv = x.value();
        Tensor s = be.zeros(1);
        be.fill(s, be.sum(xv));
        return tape.record(s, o -> {
            if (x.gradOrNull() == null) return;
            Tensor seed = be.zeros(xv.shape());
            be.fill(seed, be.sum(o.gradOrNull()));
            be.axpy(1.0, seed, x.gradOrNull());
        }, x);
    }

    private static boolean biasFits(Var b, Tensor w) {
        return b == null || Arrays.equals(b.shape(), new int[] {w.dim(0)});
    }

    private static void require(boolean ok, String op, Var... operands) {
        if (ok) return;
        StringBuilder sb = new StringBuilder(op).append(": incompatible shapes");
        for (Var v : operands) sb.append(' ').append(v == null ? "null" : Arrays.toString(v.shape()));
        throw new IllegalArgumentException(sb.toString());
    }
}
