package dev.reparam.tensor.cpu;

import dev.reparam.tensor.Activation;
import dev.reparam.tensor.Backend;
import dev.reparam.tensor.Tensor;

import java.util.Arrays;

/**
 * The float64 reference backend in plain Java, multi-threaded over the batch. Every kernel of a
 * GPU backend is tested against this one, so each method here is written to be read: direct
 * loops, no tricks beyond loop order. The layer kernels live in one package-private class per
 * family (CpuDense, CpuConvolution, ...), where the convolution lays the batch out as one long
 * padded row and works on column matrices, so its loops vectorise (see CpuConvolution).
 */
public final class CpuBackend implements Backend {
    public static final CpuBackend INSTANCE = new CpuBackend();

    private CpuBackend() {}

    @Override
    public String name() {
        return "cpu";
    }

    static double[] data(Tensor t) {
        if (!(t.storage() instanceof HostStorage h)) {
            throw new IllegalArgumentException("tensor " + t + " does not live on the CPU backend");
        }
        return h.data;
    }

    // ---- memory ----------------------------------------------------------------------------
    @Override
    public Tensor zeros(int... shape) {
        return Tensor.on(this, new HostStorage(new double[Tensor.sizeOf(shape)]), 0, shape);
    }

    @Override
    public Tensor fromHost(double[] values, int... shape) {
        if (values.length != Tensor.sizeOf(shape)) {
            throw new IllegalArgumentException(values.length + " values do not fill shape " + Arrays.toString(shape));
        }
        return Tensor.on(this, new HostStorage(values.clone()), 0, shape);
    }

    @Override
    public double[] toHost(Tensor t) {
        double[] out = new double[t.size()];
        System.arraycopy(data(t), t.offset(), out, 0, t.size());
        return out;
    }

    @Override
    public void copyFromHost(double[] values, Tensor t) {
        if (values.length != t.size()) throw new IllegalArgumentException(values.length + " values for " + t);
        System.arraycopy(values, 0, data(t), t.offset(), t.size());
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        if (src.size() != dst.size()) throw new IllegalArgumentException("copy " + src + " to " + dst);
        System.arraycopy(data(src), src.offset(), data(dst), dst.offset(), src.size());
    }

    @Override
    public void fill(Tensor t, double value) {
        Arrays.fill(data(t), t.offset(), t.offset() + t.size(), value);
    }

    // ---- elementwise -----------------------------------------------------------------------
    @Override
    public void add(Tensor a, Tensor b, Tensor out) {
        double[] x = data(a), y = data(b), o = data(out);
        int xa = a.offset(), yb = b.offset(), oo = out.offset();
        for (int i = 0, n = out.size(); i < n; i++) o[oo + i] = x[xa + i] + y[yb + i];
    }

    @Override
    public void axpy(double alpha, Tensor x, Tensor y) {
        double[] xs = data(x), ys = data(y);
        int xo = x.offset(), yo = y.offset();
        for (int i = 0, n = y.size(); i < n; i++) ys[yo + i] += alpha * xs[xo + i];
    }

    @Override
    public void scale(Tensor x, double alpha, Tensor out) {
        double[] xs = data(x), o = data(out);
        int xo = x.offset(), oo = out.offset();
        for (int i = 0, n = out.size(); i < n; i++) o[oo + i] = alpha * xs[xo + i];
    }

    @Override
    public double sum(Tensor x) {
        double[] xs = data(x);
        double s = 0;
        for (int i = x.offset(), e = x.offset() + x.size(); i < e; i++) s += xs[i];
        return s;
    }

    @Override
    public double sumOfSquares(Tensor x) {
        double[] xs = data(x);
        double s = 0;
        for (int i = x.offset(), e = x.offset() + x.size(); i < e; i++) s += xs[i] * xs[i];
        return s;
    }

    // ---- bounded output --------------------------------------------------------------------
    @Override
    public void scaledTanh(Tensor z, double[] mid, double[] half, Tensor xi) {
        double[] zs = data(z), o = data(xi);
        int d = mid.length, rows = z.size() / d;
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < d; j++) {
                o[xi.offset() + r * d + j] = mid[j] + half[j] * Math.tanh(zs[z.offset() + r * d + j]);
            }
        }
    }

    @Override
    public void scaledTanhBackward(Tensor z, double[] half, Tensor dxi, Tensor dz) {
        double[] zs = data(z), g = data(dxi), o = data(dz);
        int d = half.length, rows = z.size() / d;
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < d; j++) {
                double t = Math.tanh(zs[z.offset() + r * d + j]);
                o[dz.offset() + r * d + j] += half[j] * (1 - t * t) * g[dxi.offset() + r * d + j];
            }
        }
    }

    // ---- losses ----------------------------------------------------------------------------
    @Override
    public void rowMeanSquaredError(Tensor a, Tensor b, Tensor loss) {
        double[] as = data(a), bs = data(b), l = data(loss);
        int rows = loss.size(), m = a.size() / rows;
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int k = 0; k < m; k++) {
                double e = as[a.offset() + r * m + k] - bs[b.offset() + r * m + k];
                s += e * e;
            }
            l[loss.offset() + r] = s / m;
        }
    }

    @Override
    public void rowMeanSquaredErrorBackward(Tensor a, Tensor b, Tensor dloss, Tensor da) {
        double[] as = data(a), bs = data(b), dl = data(dloss), g = data(da);
        int rows = dloss.size(), m = a.size() / rows;
        for (int r = 0; r < rows; r++) {
            double c = 2.0 * dl[dloss.offset() + r] / m;
            for (int k = 0; k < m; k++) {
                int i = r * m + k;
                g[da.offset() + i] += c * (as[a.offset() + i] - bs[b.offset() + i]);
            }
        }
    }

    // ---- optimiser vector work -------------------------------------------------------------
    @Override
    public void adamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v, double lr, double beta1, double beta2,
                           double eps, int step, double gradScale) {
        double[] p = data(param), g = data(grad), ms = data(m), vs = data(v);
        double c1 = 1 - Math.pow(beta1, step), c2 = 1 - Math.pow(beta2, step);
        int po = param.offset(), go = grad.offset(), mo = m.offset(), vo = v.offset();
        for (int i = 0, n = param.size(); i < n; i++) {
            double gi = gradScale * g[go + i];
            double mi = beta1 * ms[mo + i] + (1 - beta1) * gi;
            double vi = beta2 * vs[vo + i] + (1 - beta2) * gi * gi;
            ms[mo + i] = mi;
            vs[vo + i] = vi;
            p[po + i] -= lr * (mi / c1) / (Math.sqrt(vi / c2) + eps);
        }
    }

    // ---- layer kernels: one package-private class per family --------------------------------
    @Override
    public void activation(Activation kind, Tensor x, Tensor y) {
        CpuActivations.activation(kind, x, y);
    }

    @Override
    public void activationBackward(Activation kind, Tensor x, Tensor y, Tensor dy, Tensor dx) {
        CpuActivations.activationBackward(kind, x, y, dy, dx);
    }

    @Override
    public void linear(Tensor x, Tensor w, Tensor b, Tensor y) {
        CpuDense.linear(x, w, b, y);
    }

    @Override
    public void linearBackward(Tensor x, Tensor w, Tensor dy, Tensor dx, Tensor dw, Tensor db) {
        CpuDense.linearBackward(x, w, dy, dx, dw, db);
    }

    @Override
    public void conv1d(Tensor x, Tensor w, Tensor b, int pad, Tensor y) {
        CpuConvolution.forward(x, w, b, 0, pad, y);
    }

    @Override
    public void conv1dBackward(Tensor x, Tensor w, Tensor dy, int pad, Tensor dx, Tensor dw, Tensor db) {
        CpuConvolution.backward(x, w, dy, 0, pad, dx, dw, db);
    }

    @Override
    public void conv2d(Tensor x, Tensor w, Tensor b, int padH, int padW, Tensor y) {
        CpuConvolution.forward(x, w, b, padH, padW, y);
    }

    @Override
    public void conv2dBackward(Tensor x, Tensor w, Tensor dy, int padH, int padW, Tensor dx, Tensor dw, Tensor db) {
        CpuConvolution.backward(x, w, dy, padH, padW, dx, dw, db);
    }

    @Override
    public void batchNorm(Tensor x, Tensor gamma, Tensor beta, double eps, Tensor y, Tensor mean, Tensor invStd) {
        CpuBatchNorm.forward(x, gamma, beta, eps, y, mean, invStd);
    }

    @Override
    public void batchNormInference(Tensor x, Tensor gamma, Tensor beta, Tensor mean, Tensor var, double eps, Tensor y) {
        CpuBatchNorm.inference(x, gamma, beta, mean, var, eps, y);
    }

    @Override
    public void batchNormBackward(Tensor x, Tensor gamma, Tensor mean, Tensor invStd, Tensor dy,
                                  Tensor dx, Tensor dgamma, Tensor dbeta) {
        CpuBatchNorm.backward(x, gamma, mean, invStd, dy, dx, dgamma, dbeta);
    }

    @Override
    public void maxPool2d(Tensor x, int kh, int kw, Tensor y) {
        CpuPooling.maxPool2d(x, kh, kw, y);
    }

    @Override
    public void maxPool2dBackward(Tensor x, int kh, int kw, Tensor dy, Tensor dx) {
        CpuPooling.maxPool2dBackward(x, kh, kw, dy, dx);
    }

    @Override
    public void positionalEncoding(Tensor x, int frequencies, Tensor y) {
        CpuPositionalEncoding.forward(x, frequencies, y);
    }

    @Override
    public void positionalEncodingBackward(Tensor x, int frequencies, Tensor dy, Tensor dx) {
        CpuPositionalEncoding.backward(x, frequencies, dy, dx);
    }
}
