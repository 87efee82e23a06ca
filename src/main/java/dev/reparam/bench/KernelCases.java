package dev.reparam.bench;

import dev.reparam.experiments.Experiment;
import dev.reparam.experiments.Experiments;
import dev.reparam.inverse.NeuralAdjoint;
import dev.reparam.nn.BatchNorm;
import dev.reparam.nn.Conv1d;
import dev.reparam.nn.Conv2d;
import dev.reparam.nn.Linear;
import dev.reparam.nn.MaxPool1d;
import dev.reparam.nn.PositionalEncoding;
import dev.reparam.sim.wavepacket.WavePacket;
import dev.reparam.tensor.Activation;
import dev.reparam.tensor.Backend;
import dev.reparam.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * One benchmark per {@link Backend} op, at the shapes the wave-packet network has for n problems:
 * <ul>
 *   <li>elementwise ops, reductions, activations and host copies: the network's largest
 *       activation, n x 16 x 256 (the first convolution's output), or {@code size} elements when
 *       given;</li>
 *   <li>conv1d, batch norm, max-pool, linear: the network's costliest convolution, its first batch
 *       norm and pooling, its first dense layer; Adam: all its parameters;</li>
 *   <li>scaled tanh: the bounded output map of n problems' unknowns; row MSE: the neural adjoint's
 *       search loss on the wave packet (n x 64 starts rows of 256 samples);</li>
 *   <li>ops the wave packet does not use take the network that does: conv2d the Navier-Stokes
 *       network's first layer at its quick 32 x 32 grid (four 16 x 32 input planes), positional
 *       encoding the billiards network's input layer.</li>
 * </ul>
 * Backward ops are given every gradient, so each does all of its work.
 */
public final class KernelCases {
    /**
     * One benchmark: the op (the Backend method, activations by kind), its shapes in words, its
     * work per call, and a factory that allocates one fresh input set and returns the call on it.
     */
    public record Case(String op, String shape, Work work, Supplier<Runnable> inputSet) {}

    /** The Navier-Stokes network's input per problem at the quick physics (NsExperiment.network). */
    static final int[] NS_QUICK_INPUT = {4, 16, 32};
    /** The billiards network's input per problem: ball position and target (BilliardsExperiment.network). */
    static final int[] BILLIARDS_INPUT = {4};

    private final TensorSource src;
    private final Backend be;
    private final int e;
    private final List<Case> cases = new ArrayList<>();

    private KernelCases(TensorSource src, int elementBytes) {
        this.src = src;
        this.be = src.backend();
        this.e = elementBytes;
    }

    /** Every case for n problems; {@code size} > 0 overrides the elementwise size. */
    public static List<Case> forWavePacket(TensorSource src, int elementBytes, int n, int size) {
        if (n < 1) throw new IllegalArgumentException("--n must be >= 1, got " + n);
        if (size < 0) throw new IllegalArgumentException("--size must be >= 1, got " + size);
        KernelCases k = new KernelCases(src, elementBytes);
        Experiment wp = Experiments.byName("wavepacket");
        NetworkShapes net = new NetworkShapes(wp.network().layers(new int[] {1, WavePacket.SAMPLES}, 1),
                new int[] {1, WavePacket.SAMPLES});
        int elements = size > 0 ? size : Math.multiplyExact(n, net.largestActivation());
        k.elementwise(elements);
        k.activations(elements);
        k.boundedOutput(n, wp.generate(1, 0).dim());
        k.losses(n * NeuralAdjoint.Search.DEFAULT.starts(), WavePacket.SAMPLES);
        k.dense(n, net.first(Linear.class));
        k.conv1d(n, net.largest(Conv1d.class, s -> (long) s.outSize() * s.in()[0]));
        NetworkShapes ns = new NetworkShapes(Experiments.byName("navier-stokes").network().layers(NS_QUICK_INPUT, 2),
                NS_QUICK_INPUT);
        k.conv2d(n, ns.first(Conv2d.class));
        k.batchNorm(n, net.first(BatchNorm.class));
        k.maxPool(n, net.first(MaxPool1d.class));
        NetworkShapes billiards = new NetworkShapes(Experiments.byName("billiards").network()
                .layers(BILLIARDS_INPUT, 2), BILLIARDS_INPUT);
        k.positionalEncoding(n, billiards.first(PositionalEncoding.class));
        k.adam(Math.toIntExact(net.parameterCount()));
        return List.copyOf(k.cases);
    }

    private void add(String op, String shape, Work work, Supplier<Runnable> inputSet) {
        cases.add(new Case(op, shape, work, inputSet));
    }

    private static String shape(String name, int... dims) {
        return name + Arrays.toString(dims).replace(" ", "");
    }

    private void elementwise(int n) {
        String s = shape("x", n);
        add("copy", s, WorkModels.copy(n, e), () -> {
            Tensor a = src.random(n), b = src.random(n);
            return () -> be.copy(a, b);
        });
        add("copyFromHost", s, WorkModels.transfer(n, e), () -> {
            double[] host = src.randomHost(n);
            Tensor t = src.random(n);
            return () -> be.copyFromHost(host, t);
        });
        add("toHost", s, WorkModels.transfer(n, e), () -> {
            Tensor t = src.random(n);
            return () -> be.toHost(t);
        });
        add("fill", s, WorkModels.fill(n, e), () -> {
            Tensor t = src.random(n);
            return () -> be.fill(t, 0.75);
        });
        add("add", s, WorkModels.add(n, e), () -> {
            Tensor a = src.random(n), b = src.random(n), o = src.random(n);
            return () -> be.add(a, b, o);
        });
        add("axpy", s, WorkModels.axpy(n, e), () -> {
            Tensor x = src.random(n), y = src.random(n);
            return () -> be.axpy(1e-3, x, y);
        });
        add("scale", s, WorkModels.scale(n, e), () -> {
            Tensor x = src.random(n), o = src.random(n);
            return () -> be.scale(x, 0.5, o);
        });
        add("sum", s, WorkModels.sum(n, e), () -> {
            Tensor x = src.random(n);
            return () -> be.sum(x);
        });
        add("sumOfSquares", s, WorkModels.sumOfSquares(n, e), () -> {
            Tensor x = src.random(n);
            return () -> be.sumOfSquares(x);
        });
    }

    private void activations(int n) {
        String s = shape("x", n);
        for (Activation kind : Activation.values()) {
            String name = kind.name().toLowerCase(Locale.ROOT);
            add(name, s, WorkModels.activation(name, n, e), () -> {
                Tensor x = src.random(n), y = src.random(n);
                return () -> be.activation(kind, x, y);
            });
            add(name + "Backward", s, WorkModels.activationBackward(name, n, e), () -> {
                Tensor x = src.random(n), y = src.random(n), dy = src.random(n), dx = src.random(n);
                return () -> be.activationBackward(kind, x, y, dy, dx);
            });
        }
    }

    private void boundedOutput(int rows, int d) {
        String s = shape("z", rows, d);
        add("scaledTanh", s, WorkModels.scaledTanh(rows, d, e), () -> {
            Tensor z = src.random(rows, d), xi = src.random(rows, d);
            double[] mid = src.randomHost(d), half = src.randomHost(d);
            return () -> be.scaledTanh(z, mid, half, xi);
        });
        add("scaledTanhBackward", s, WorkModels.scaledTanhBackward(rows, d, e), () -> {
            Tensor z = src.random(rows, d), dxi = src.random(rows, d), dz = src.random(rows, d);
            double[] half = src.randomHost(d);
            return () -> be.scaledTanhBackward(z, half, dxi, dz);
        });
    }

    private void losses(int rows, int m) {
        String s = shape("a", rows, m);
        add("rowMeanSquaredError", s, WorkModels.rowMse(rows, m, e), () -> {
            Tensor a = src.random(rows, m), b = src.random(rows, m), loss = src.random(rows);
            return () -> be.rowMeanSquaredError(a, b, loss);
        });
        add("rowMeanSquaredErrorBackward", s, WorkModels.rowMseBackward(rows, m, e), () -> {
            Tensor a = src.random(rows, m), b = src.random(rows, m), dloss = src.random(rows), da = src.random(rows, m);
            return () -> be.rowMeanSquaredErrorBackward(a, b, dloss, da);
        });
    }

    private void dense(int batch, NetworkShapes.Stage layer) {
        int in = layer.in()[0], out = layer.out()[0];
        String s = shape("x", batch, in) + " " + shape("w", out, in);
        add("linear", s, WorkModels.linear(batch, in, out, true, e), () -> {
            Tensor x = src.random(batch, in), w = src.random(out, in), b = src.random(out), y = src.random(batch, out);
            return () -> be.linear(x, w, b, y);
        });
        add("linearBackward", s, WorkModels.linearBackward(batch, in, out, e), () -> {
            Tensor x = src.random(batch, in), w = src.random(out, in), dy = src.random(batch, out);
            Tensor dx = src.random(batch, in), dw = src.random(out, in), db = src.random(out);
            return () -> be.linearBackward(x, w, dy, dx, dw, db);
        });
    }

    private void conv1d(int batch, NetworkShapes.Stage layer) {
        int cin = layer.in()[0], len = layer.in()[1], cout = layer.out()[0], outLen = layer.out()[1];
        int k = layer.params().get(0).shape()[2], pad = (outLen - len + k - 1) / 2;
        String s = shape("x", batch, cin, len) + " " + shape("w", cout, cin, k);
        add("conv1d", s, WorkModels.conv2d(batch, cin, 1, len, cout, 1, k, 1, outLen, e), () -> {
            Tensor x = src.random(batch, cin, len), w = src.random(cout, cin, k), b = src.random(cout);
            Tensor y = src.random(batch, cout, outLen);
            return () -> be.conv1d(x, w, b, pad, y);
        });
        add("conv1dBackward", s, WorkModels.conv2dBackward(batch, cin, 1, len, cout, 1, k, 1, outLen, e), () -> {
            Tensor x = src.random(batch, cin, len), w = src.random(cout, cin, k), dy = src.random(batch, cout, outLen);
            Tensor dx = src.random(batch, cin, len), dw = src.random(cout, cin, k), db = src.random(cout);
            return () -> be.conv1dBackward(x, w, dy, pad, dx, dw, db);
        });
    }

    private void conv2d(int batch, NetworkShapes.Stage layer) {
        int cin = layer.in()[0], h = layer.in()[1], w = layer.in()[2];
        int cout = layer.out()[0], oh = layer.out()[1], ow = layer.out()[2];
        int[] ws = layer.params().get(0).shape();
        int kh = ws[2], kw = ws[3], padH = (oh - h + kh - 1) / 2, padW = (ow - w + kw - 1) / 2;
        String s = shape("x", batch, cin, h, w) + " " + shape("w", ws);
        add("conv2d", s, WorkModels.conv2d(batch, cin, h, w, cout, kh, kw, oh, ow, e), () -> {
            Tensor x = src.random(batch, cin, h, w), wt = src.random(ws), b = src.random(cout);
            Tensor y = src.random(batch, cout, oh, ow);
            return () -> be.conv2d(x, wt, b, padH, padW, y);
        });
        add("conv2dBackward", s, WorkModels.conv2dBackward(batch, cin, h, w, cout, kh, kw, oh, ow, e), () -> {
            Tensor x = src.random(batch, cin, h, w), wt = src.random(ws), dy = src.random(batch, cout, oh, ow);
            Tensor dx = src.random(batch, cin, h, w), dw = src.random(ws), db = src.random(cout);
            return () -> be.conv2dBackward(x, wt, dy, padH, padW, dx, dw, db);
        });
    }

    private void batchNorm(int batch, NetworkShapes.Stage layer) {
        int c = layer.in()[0], len = layer.in()[1], n = batch * c * len;
        String s = shape("x", batch, c, len);
        add("batchNorm", s, WorkModels.batchNorm(n, c, e), () -> {
            Tensor x = src.random(batch, c, len), gamma = src.random(c), beta = src.random(c);
            Tensor y = src.random(batch, c, len), mean = src.random(c), invStd = src.random(c);
            return () -> be.batchNorm(x, gamma, beta, 1e-5, y, mean, invStd);
        });
        add("batchNormInference", s, WorkModels.batchNormInference(n, c, e), () -> {
            Tensor x = src.random(batch, c, len), gamma = src.random(c), beta = src.random(c);
            Tensor mean = src.random(c), var = src.random(c), y = src.random(batch, c, len);
            return () -> be.batchNormInference(x, gamma, beta, mean, var, 1e-5, y);
        });
        add("batchNormBackward", s, WorkModels.batchNormBackward(n, c, e), () -> {
            Tensor x = src.random(batch, c, len), gamma = src.random(c), mean = src.random(c), invStd = src.random(c);
            Tensor dy = src.random(batch, c, len), dx = src.random(batch, c, len), dgamma = src.random(c),
                    dbeta = src.random(c);
            return () -> be.batchNormBackward(x, gamma, mean, invStd, dy, dx, dgamma, dbeta);
        });
    }

    /** MaxPool1d runs as maxPool2d on [B, C, 1, L] with 1 x k windows, as the layer does. */
    private void maxPool(int batch, NetworkShapes.Stage layer) {
        int c = layer.in()[0], len = layer.in()[1], outLen = layer.out()[1], k = len / outLen;
        String s = shape("x", batch, c, 1, len) + " window 1x" + k;
        long xs = (long) batch * c * len, ys = (long) batch * c * outLen;
        add("maxPool2d", s, WorkModels.maxPool(xs, ys, 1, k, e), () -> {
            Tensor x = src.random(batch, c, 1, len), y = src.random(batch, c, 1, outLen);
            return () -> be.maxPool2d(x, 1, k, y);
        });
        add("maxPool2dBackward", s, WorkModels.maxPoolBackward(xs, ys, 1, k, e), () -> {
            Tensor x = src.random(batch, c, 1, len), dy = src.random(batch, c, 1, outLen),
                    dx = src.random(batch, c, 1, len);
            return () -> be.maxPool2dBackward(x, 1, k, dy, dx);
        });
    }

    private void positionalEncoding(int batch, NetworkShapes.Stage layer) {
        int d = layer.in()[0], f = (layer.out()[0] / d - 1) / 2, out = layer.out()[0];
        String s = shape("x", batch, d) + " " + f + " frequencies";
        long n = (long) batch * d;
        add("positionalEncoding", s, WorkModels.positionalEncoding(n, f, e), () -> {
            Tensor x = src.random(batch, d), y = src.random(batch, out);
            return () -> be.positionalEncoding(x, f, y);
        });
        add("positionalEncodingBackward", s, WorkModels.positionalEncodingBackward(n, f, e), () -> {
            Tensor x = src.random(batch, d), dy = src.random(batch, out), dx = src.random(batch, d);
            return () -> be.positionalEncodingBackward(x, f, dy, dx);
        });
    }

    private void adam(int p) {
        add("adamUpdate", shape("params", p), WorkModels.adam(p, e), () -> {
            Tensor param = src.random(p), grad = src.random(p), m = src.random(p), v = src.random(p);
            int[] step = {0};
            return () -> be.adamUpdate(param, grad, m, v, 1e-4, 0.9, 0.999, 1e-8, ++step[0], 1.0);
        });
    }
}
