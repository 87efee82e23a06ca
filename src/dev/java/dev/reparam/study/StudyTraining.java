package dev.reparam.study;

import dev.reparam.autodiff.Tape;
import dev.reparam.autodiff.Var;
import dev.reparam.inverse.Conv1dNetwork;
import dev.reparam.inverse.ProblemSet;
import dev.reparam.inverse.ProblemSets;
import dev.reparam.nn.Model;
import dev.reparam.optim.Adam;
import dev.reparam.optim.AdamOptions;
import dev.reparam.tensor.Backend;
import dev.reparam.tensor.Bounds;
import dev.reparam.tensor.LrSchedule;
import dev.reparam.tensor.Tensor;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The reparameterized training of {@code dev.reparam.inverse.Reparameterized}, written out so
 * that the study can change what the product fixes (batch norm at the answer, mini-batches, the
 * last layer's initial scale, input normalisation) and keep every estimate's trajectory. With
 * {@link WavePacketSetup#DEFAULT} it computes what the product computes: the same network, the
 * same initialisation, the same Adam, the same summed loss seeded with d(sum)/d(loss_i) = 1.
 */
final class StudyTraining {
    /** The answer's z [n], the estimates t0 [iteration][n] before each step, and the mean loss per iteration. */
    record Outcome(double[] z, double[][] trajectory, double[] meanLoss) {}

    private StudyTraining() {}

    static Outcome train(Backend backend, ProblemSet problems, WavePacketSetup s, long networkSeed) {
        int n = problems.size(), samples = problems.observationShape()[0];
        int[] shape = {1, samples};
        Model model = new Model(backend, Conv1dNetwork.layers(s.channels(), s.hidden(), !s.batchNorm().equals("none"),
                1), shape, networkSeed);
        scaleLastLayer(backend, model, s.hidden(), s.lastScale());
        LrSchedule schedule = s.schedule().equals("cosine")
                ? LrSchedule.cosine(s.iterations(), 0) : LrSchedule.CONSTANT;
        Adam adam = new Adam(model.params(), model.grads(), AdamOptions.defaults().withLr(s.lr())
                .withBetas(s.beta1(), s.beta2()).withMaxGradNorm(s.clip()).withSchedule(schedule));
        double[] x = normalised(problems.observations(), samples, s.inputNorm());
        Tensor all = backend.fromHost(x, n, 1, samples);
        Bounds bounds = problems.bounds();
        Tape tape = new Tape(backend);
        SplittableRandom batches = new SplittableRandom(networkSeed ^ 0x5DEECE66DL);
        int batch = s.batch() <= 0 || s.batch() >= n ? n : s.batch();
        double[][] trajectory = new double[s.iterations()][];
        double[] meanLoss = new double[s.iterations()];
        for (int it = 0; it < s.iterations(); it++) {
            if (batch < n) {
                // the trajectory is the full set's estimates before this step, in training mode
                tape.clear();
                trajectory[it] = physical(bounds, model.forward(tape, tape.constant(all)).value().toHost());
            }
            int[] rows = batch == n ? ProblemSets.all(n) : sample(batches, n, batch);
            Tensor input = batch == n ? all : backend.fromHost(rowsOf(x, samples, rows), rows.length, 1, samples);
            tape.clear();
            model.zeroGrad();
            Var z = model.forward(tape, tape.constant(input));
            double[] zb = z.value().toHost();
            double[] xi = physical(bounds, zb);
            if (batch == n) trajectory[it] = xi;
            double[] loss = new double[rows.length], dLdXi = new double[rows.length], dXidZ = new double[rows.length];
            problems.lossAndGradient(rows, xi, loss, dLdXi);
            bounds.jacobianDiagonal(zb, dXidZ);
            double[] seed = new double[rows.length];
            for (int j = 0; j < rows.length; j++) seed[j] = dLdXi[j] * dXidZ[j];
            tape.backward(z, backend.fromHost(seed, rows.length, 1));
            adam.step();
            double sum = 0;
            for (double l : loss) sum += l;
            meanLoss[it] = sum / rows.length;
        }
        if (s.batchNorm().equals("running")) model.setTraining(false);
        tape.clear();
        double[] z = model.forward(tape, tape.constant(all)).value().toHost();
        tape.clear();
        return new Outcome(z, trajectory, meanLoss);
    }

    /** Multiplies the last dense layer's weights and bias (the last hidden + 1 parameters) by {@code scale}. */
    private static void scaleLastLayer(Backend backend, Model model, int hidden, double scale) {
        if (scale == 1.0) return;
        double[] p = model.params().toHost();
        for (int i = p.length - hidden - 1; i < p.length; i++) p[i] *= scale;
        backend.copyFromHost(p, model.params());
    }

    private static double[] normalised(double[] y, int samples, String mode) {
        double[] x = y.clone();
        if (mode.equals("none")) return x;
        int n = y.length / samples;
        if (mode.equals("global")) {
            double sq = 0;
            for (double v : y) sq += v * v;
            double inv = 1 / Math.sqrt(sq / y.length);
            for (int i = 0; i < x.length; i++) x[i] *= inv;
            return x;
        }
        for (int r = 0; r < n; r++) {
            double mean = 0, sq = 0;
            for (int k = 0; k < samples; k++) mean += y[r * samples + k];
            mean /= samples;
            for (int k = 0; k < samples; k++) sq += Math.pow(y[r * samples + k] - mean, 2);
            double inv = 1 / Math.sqrt(sq / samples);
            for (int k = 0; k < samples; k++) x[r * samples + k] = (y[r * samples + k] - mean) * inv;
        }
        return x;
    }

    private static double[] physical(Bounds bounds, double[] z) {
        double[] xi = new double[z.length];
        bounds.toPhysical(z, xi);
        return xi;
    }

    /** {@code size} distinct rows, drawn afresh each step. */
    private static int[] sample(SplittableRandom rng, int n, int size) {
        int[] perm = ProblemSets.all(n);
        for (int i = 0; i < size; i++) {
            int j = i + rng.nextInt(n - i);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        return Arrays.copyOf(perm, size);
    }

    private static double[] rowsOf(double[] x, int samples, int[] rows) {
        double[] out = new double[rows.length * samples];
        for (int j = 0; j < rows.length; j++) System.arraycopy(x, rows[j] * samples, out, j * samples, samples);
        return out;
    }
}
