package dev.reparam.bench;

import dev.reparam.autodiff.Tape;
import dev.reparam.autodiff.Var;
import dev.reparam.experiments.Experiment;
import dev.reparam.experiments.Experiments;
import dev.reparam.experiments.Profile;
import dev.reparam.inverse.Network;
import dev.reparam.inverse.NetworkInput;
import dev.reparam.inverse.ProblemSet;
import dev.reparam.inverse.ProblemSets;
import dev.reparam.inverse.Reparameterized;
import dev.reparam.io.Npy;
import dev.reparam.nn.Layer;
import dev.reparam.nn.Model;
import dev.reparam.nn.ParamSpec;
import dev.reparam.optim.Adam;
import dev.reparam.optim.AdamOptions;
import dev.reparam.tensor.Backend;
import dev.reparam.tensor.Bounds;
import dev.reparam.tensor.cpu.CpuBackend;
import dev.reparam.tensor.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes what bench/torch/wavepacket_reparam.py needs to check its PyTorch copy of a
 * reparameterized wave-packet iteration against ours (float64, CPU backend): the problems, the
 * network's flat initial parameters and their layout, the loss and parameter gradient of the first
 * iteration, and the losses, parameters and network output after a few Adam steps with the
 * experiment's own settings (lr, gradient clipping).
 *
 * <p>The loop is the one of {@link Reparameterized#solve} written out, so that the gradient and the
 * parameters it never returns can be written; the unit test checks that both give the same curve.
 */
final class WavePacketParityExport {
    private WavePacketParityExport() {}

    static void write(Path dir, int n, long seed, int iterations) {
        Experiment exp = Experiments.byName("wavepacket");
        ProblemSet problems = exp.generate(n, seed);
        Reparameterized.Options quick = exp.training(seed, Profile.QUICK);
        AdamOptions adamOptions = AdamOptions.defaults().withLr(quick.learningRate())
                .withMaxGradNorm(quick.maxGradNorm());
        Backend be = CpuBackend.INSTANCE;
        Network network = exp.network();
        NetworkInput in = network.input(problems);
        List<Layer> layers = network.layers(in.shape(), problems.dim());
        Model model = new Model(be, layers, in.shape(), quick.seed());
        Adam adam = new Adam(model.params(), model.grads(), adamOptions);
        Tensor input = be.fromHost(in.data(), in.batchShape(n));
        Tape tape = new Tape(be);
        double[] params0 = model.params().toHost(), grad0 = null;
        double[] curve = new double[iterations * n];
        for (int it = 0; it < iterations; it++) {
            tape.clear();
            model.zeroGrad();
            Var z = model.forward(tape, tape.constant(input));
            double[] loss = new double[n];
            double[] dz = lossAndUnconstrainedGradient(problems, z.value().toHost(), loss);
            tape.backward(z, be.fromHost(dz, n, problems.dim()));
            System.arraycopy(loss, 0, curve, it * n, n);
            if (it == 0) grad0 = model.grads().toHost();
            adam.step();
        }
        tape.clear();
        double[] zFinal = model.forward(tape, tape.constant(input)).value().toHost();

        Bounds b = problems.bounds();
        write(dir, "wp_config", new double[] {n, seed, iterations, adamOptions.lr(), adamOptions.beta1(),
                adamOptions.beta2(), adamOptions.eps(), adamOptions.maxGradNorm(), b.lo(0), b.hi(0)});
        Npy.write(dir.resolve("wp_observations.npy"), problems.observations(), n, in.shape()[0], in.shape()[1]);
        write(dir, "wp_params0", params0);
        write(dir, "wp_grad0", grad0);
        Npy.write(dir.resolve("wp_curve.npy"), curve, iterations, n);
        write(dir, "wp_params_final", model.params().toHost());
        Npy.write(dir.resolve("wp_z_final.npy"), zFinal, n, problems.dim());
        writeLayout(dir.resolve("wp_layout.txt"), layers, in.shape());
    }

    /**
     * What ProblemLossOp does inside Reparameterized: the problems' losses at xi = mid + half tanh z,
     * and d(sum of losses)/dz with the tanh Jacobian.
     */
    private static double[] lossAndUnconstrainedGradient(ProblemSet problems, double[] z, double[] loss) {
        double[] xi = new double[z.length], jac = new double[z.length], g = new double[z.length];
        problems.bounds().toPhysical(z, xi);
        problems.bounds().jacobianDiagonal(z, jac);
        problems.lossAndGradient(ProblemSets.all(problems.size()), xi, loss, g);
        for (int i = 0; i < g.length; i++) g[i] *= jac[i];
        return g;
    }

    /** One line per parameter tensor in flat order: layer index, layer class, tensor name, shape (comma-separated). */
    private static void writeLayout(Path file, List<Layer> layers, int[] inputShape) {
        List<String> lines = new ArrayList<>();
        int[] shape = inputShape;
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            for (ParamSpec s : layer.parameters(shape)) {
                StringBuilder dims = new StringBuilder();
                for (int d : s.shape()) dims.append(dims.length() == 0 ? "" : ",").append(d);
                lines.add(i + " " + layer.getClass().getSimpleName() + " " + s.name() + " " + dims);
            }
            shape = layer.outputShape(shape);
        }
        try {
            Files.write(file, lines);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void write(Path dir, String name, double[] data) {
        Npy.write(dir.resolve(name + ".npy"), data, data.length);
    }
}
