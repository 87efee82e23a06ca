package dev.reparam.inverse;

import dev.reparam.autodiff.Tape;
import dev.reparam.autodiff.Var;
import dev.reparam.nn.BatchNorm;
import dev.reparam.nn.Layer;
import dev.reparam.nn.Model;
import dev.reparam.nn.Ops;
import dev.reparam.optim.Adam;
import dev.reparam.optim.AdamOptions;
import dev.reparam.parallel.Communicator;
import dev.reparam.parallel.SingleProcess;
import dev.reparam.tensor.Backend;
import dev.reparam.tensor.Bounds;
import dev.reparam.tensor.IterationRunner;
import dev.reparam.tensor.Tensor;
import org.apache.commons.math3.stat.StatUtils;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * The neural adjoint method (Ren et al. 2020, as in the paper's section 4): a surrogate
 * S(x, xi) -> y is trained on a training set with known parameters; then, with S frozen, every
 * problem's xi is optimised on L(S(x_i, xi), y_i) + B(xi) ({@link BoundaryLoss}) from T random
 * starts, and the start with the lowest surrogate objective is the answer.
 *
 * <p>The surrogate sees xi normalised to u = (xi - mid) / half in [-1, 1] (by the bounds; by the
 * training range on unbounded dimensions). The search optimises u directly, without tanh, as in
 * the NA paper: only B keeps it near the training range, and the answer is clamped into the bounds
 * at the end. Optimising u rather than xi is the same objective in rescaled coordinates; it lets one
 * step size serve unknowns of any scale.
 *
 * <p>The search runs all n*T starts as one batch with Adam on the surrogate's input (a tape
 * parameter with its own gradient buffer), not L-BFGS: the batch then has a fixed size, so every
 * tensor is allocated once, and Adam copes with the kinks of a ReLU surrogate and of B, where
 * L-BFGS's line searches assume smoothness. Ren et al. also use gradient descent here.
 *
 * <p>The curve is, per search iteration, the problems' true losses at the (clamped) start each
 * would keep then: the quantity the paper's curves show, not the surrogate's training loss.
 *
 * <p>Data-parallel over a {@link Communicator}'s ranks as {@link Supervised} is: each rank holds
 * its part of the training set and of the problems, the surrogate's gradient is summed over the
 * ranks, and the normalisation is the whole training set's. The search is per start, so each
 * rank searches its problems' starts, drawn as one process draws them for all problems.
 */
public final class NeuralAdjoint {
    public static final String NAME = "neural-adjoint";

    /** The surrogate's layers, from the flat input [x_i, u] to the flat observation. */
    @FunctionalInterface
    public interface Surrogate {
        List<Layer> layers(int inputFeatures, int outputFeatures);
    }

    /** The search on the surrogate: starts per problem, Adam iterations, and Adam's step in normalised units. */
    public record Search(int starts, int iterations, double learningRate) {
        /** T = 64 as in the protocol; 200 steps of 0.01 can cross the normalised range [-1, 1] a few times over. */
        public static final Search DEFAULT = new Search(64, 200, 0.01);

        public Search {
            if (starts < 1) throw new IllegalArgumentException("starts must be >= 1, got " + starts);
            if (iterations < 0) throw new IllegalArgumentException("search iterations must be >= 0, got " + iterations);
            if (!(learningRate > 0)) {
                throw new IllegalArgumentException("search learning rate must be > 0, got " + learningRate);
            }
        }
    }

    private final Backend backend;
    private final Surrogate surrogate;
    private final Reparameterized.Options options;
    private final ProblemSet training;
    private final Search search;
    private final Communicator world;

    /** {@code options} is the surrogate's training budget; its seed also fixes the random starts. */
    public NeuralAdjoint(Backend backend, Surrogate surrogate, Reparameterized.Options options, ProblemSet training,
                         Search search) {
        this(backend, surrogate, options, training, search, SingleProcess.INSTANCE);
    }

    /** Over {@code world}'s ranks: {@code training} and the problems given to {@link #solve} are this rank's part. */
    public NeuralAdjoint(Backend backend, Surrogate surrogate, Reparameterized.Options options, ProblemSet training,
                         Search search, Communicator world) {
        this.backend = backend;
        this.surrogate = surrogate;
        this.options = options;
        this.training = training;
        this.search = search;
        this.world = world;
    }

    public NeuralAdjoint(Backend backend, Surrogate surrogate, Reparameterized.Options options, ProblemSet training) {
        this(backend, surrogate, options, training, Search.DEFAULT);
    }

    public MethodResult solve(ProblemSet problems, ProgressListener progress) {
        ProblemSets.validate(problems);
        TrainingSets.requireCompatible(training, problems);
        long start = System.nanoTime();
        Normalisation norm = Normalisation.of(problems.bounds(), training.trueParameters(), world);
        int m = training.size(), rx = rowSize(training.inputs(), m), ry = rowSize(training.observations(), m);
        Model model = new Model(backend, BatchNorm.synchronise(surrogate.layers(rx + problems.dim(), ry), world),
                new int[] {rx + problems.dim()}, options.seed());
        if (world.size() > 1) DataParallel.broadcastParameters(backend, world, model);
        train(model, norm, rx, ry, progress);
        model.setTraining(false);
        double[][] curve = new double[search.iterations()][];
        double[] u = searchStarts(model, norm, problems, curve, progress);
        return answer(problems, norm, u, curve, start);
    }

    /** Full-batch Adam on the mean squared error of S(x_j, u_j) to y_j. */
    private void train(Model model, Normalisation norm, int rx, int ry, ProgressListener progress) {
        int m = training.size(), dim = norm.dim();
        double[] u = norm.toNormalised(training.trueParameters());
        Tensor input = backend.fromHost(rows(training.inputs(), rx, u, dim, m, 1), m, rx + dim);
        Tensor target = backend.fromHost(training.observations(), m, ry);
        Adam adam = new Adam(model.params(), model.grads(),
                AdamOptions.defaults().withLr(options.learningRate()).withMaxGradNorm(options.maxGradNorm()));
        Tape tape = new Tape(backend);
        Tensor ones = backend.zeros(m);
        backend.fill(ones, 1.0);
        boolean parallel = world.size() > 1;
        // reads nothing back to the host (on one rank): a GPU backend records it once and replays it
        Supplier<Tensor> step = () -> {
            tape.clear();
            model.zeroGrad();
            Var loss = Ops.rowMeanSquaredError(tape, model.forward(tape, tape.constant(input)), target);
            tape.backward(loss, ones);
            if (parallel) DataParallel.sumGradients(backend, world, model);
            adam.queueStep();
            return loss.value();
        };
        try (IterationRunner runner = backend.iterationRunner(!parallel)) {
            List<Integer> key = List.of(m, rx + dim);
            for (int it = 0; it < options.iterations(); it++) {
                double[] loss = runner.run(key, step);
                adam.checkFinite();
                if (it % 10 == 9 || it == options.iterations() - 1) {
                    progress.progress(NAME, it + 1, options.iterations(),
                            String.format("surrogate mean training loss %.4g", StatUtils.mean(loss)));
                }
            }
        }
    }

    /**
     * Adam on the n*T starts through the frozen surrogate; returns the chosen u of every problem
     * [n * dim], clamped into the bounds. Rows of problem i are i*T .. i*T + T - 1. Fills
     * {@code curve[iteration]} with the problems' true losses at the start each would keep at that
     * iteration (the lowest surrogate objective), the quantity the paper's curves show.
     */
    private double[] searchStarts(Model model, Normalisation norm, ProblemSet problems, double[][] curve,
                                  ProgressListener progress) {
        int n = problems.size(), t = search.starts(), dim = norm.dim(), count = n * t;
        int rx = rowSize(problems.inputs(), n), ry = rowSize(problems.observations(), n), width = rx + dim;
        SplittableRandom rng = new SplittableRandom(options.seed()).split();
        // the draws of the problems before this rank's part, as one process makes them for all
        for (long skip = (long) DataParallel.offset(world, n) * t * dim; skip > 0; skip--) rng.nextDouble();
        double[] u = new double[count * dim];
        for (int i = 0; i < u.length; i++) u[i] = 2 * rng.nextDouble() - 1;
        Tensor input = backend.fromHost(rows(problems.inputs(), rx, u, dim, n, t), count, width);
        Tensor inputGrad = backend.zeros(count, width);
        Tensor target = backend.fromHost(rows(problems.observations(), ry, null, 0, n, t), count, ry);
        Adam adam = new Adam(input, inputGrad, AdamOptions.defaults().withLr(search.learningRate()));
        BoundaryLoss boundary = norm.boundaryLoss();
        double[] xi = new double[count * dim], bValue = new double[count], bGrad = new double[count * dim];
        Tape tape = new Tape(backend);
        Tensor ones = backend.zeros(count);
        backend.fill(ones, 1.0);
        // the surrogate's misfit and its gradient in the inputs; the boundary loss and the step
        // follow on the host, so this is run in a memory scope but not recorded
        Supplier<Tensor> misfit = () -> {
            tape.clear();
            backend.fill(inputGrad, 0.0);
            // The tape also accumulates the frozen surrogate's weight gradients (Model always makes
            // its weights tape parameters); they are never read, and S's weights never change.
            Var loss = Ops.rowMeanSquaredError(tape, model.forward(tape, tape.parameter(input, inputGrad)), target);
            tape.backward(loss, ones);
            return loss.value();
        };
        try (IterationRunner runner = backend.iterationRunner(false)) {
            List<Integer> key = List.of(count, width);
            for (int it = 0; it < search.iterations(); it++) {
                double[] loss = runner.run(key, misfit);
                double[] in = input.toHost(), g = inputGrad.toHost();
                columns(in, width, rx, u);
                norm.toPhysical(u, xi);
                boundary.evaluate(xi, bValue, bGrad);
                curve[it] = trueLossOfBestStarts(problems, norm, loss, bValue, u, t);
                for (int r = 0; r < count; r++) {
                    // x_i is known: a zero gradient leaves Adam's moments, and so x_i, untouched.
                    for (int c = 0; c < rx; c++) g[r * width + c] = 0;
                    for (int d = 0; d < dim; d++) g[r * width + rx + d] += bGrad[r * dim + d] * norm.half[d];
                }
                backend.copyFromHost(g, inputGrad);
                adam.step();
                if (it % 10 == 9 || it == search.iterations() - 1) {
                    progress.progress(NAME + " search", it + 1, search.iterations(), String.format("%d starts", count));
                }
            }
        }
        columns(input.toHost(), width, rx, u);
        norm.clamp(u);
        // The objective at the clamped starts decides which start each problem keeps.
        backend.copyFromHost(rows(problems.inputs(), rx, u, dim, n, t), input);
        tape.clear();
        double[] objective = Ops.rowMeanSquaredError(tape, model.forward(tape, tape.constant(input)), target).value()
                .toHost();
        norm.toPhysical(u, xi);
        boundary.evaluate(xi, bValue, bGrad);
        for (int r = 0; r < count; r++) objective[r] += bValue[r];
        int[] best = bestStarts(objective, n, t);
        double[] chosen = new double[n * dim];
        for (int i = 0; i < n; i++) System.arraycopy(u, (i * t + best[i]) * dim, chosen, i * dim, dim);
        return chosen;
    }

    /**
     * True losses of the starts with the lowest surrogate objective (surrogate misfit + boundary loss), clamped as
     * answers are.
     */
    private static double[] trueLossOfBestStarts(ProblemSet problems, Normalisation norm, double[] misfit,
                                                 double[] boundaryValue, double[] u, int starts) {
        int n = problems.size(), dim = problems.dim();
        for (int r = 0; r < misfit.length; r++) misfit[r] += boundaryValue[r];
        int[] best = bestStarts(misfit, n, starts);
        double[] chosen = new double[n * dim], xi = new double[n * dim], loss = new double[n];
        for (int i = 0; i < n; i++) System.arraycopy(u, (i * starts + best[i]) * dim, chosen, i * dim, dim);
        norm.clamp(chosen);
        norm.toPhysical(chosen, xi);
        problems.lossAndGradient(ProblemSets.all(n), xi, loss, new double[n * dim]);
        return loss;
    }

    private MethodResult answer(ProblemSet problems, Normalisation norm, double[] u, double[][] curve, long start) {
        int n = problems.size(), dim = problems.dim();
        double[] xi = new double[n * dim], z = new double[n * dim], loss = new double[n];
        norm.toPhysical(u, xi);
        problems.bounds().toUnconstrained(xi, z);
        problems.lossAndGradient(ProblemSets.all(n), xi, loss, new double[n * dim]);
        Solution s = new Solution(z, xi, loss, null, null, null);
        return new MethodResult(NAME, s, null, curve, (System.nanoTime() - start) * 1e-9, 0);
    }

    /**
     * Per problem, the index (0..starts) of the start with the lowest value; values[i * starts + s]
     * belongs to start s of problem i. Ties go to the first; NaN never wins over a number.
     */
    static int[] bestStarts(double[] values, int n, int starts) {
        if (values.length != n * starts) {
            throw new IllegalArgumentException(values.length + " values for " + n + " problems x " + starts
                    + " starts");
        }
        int[] best = new int[n];
        for (int i = 0; i < n; i++) {
            double lowest = Double.POSITIVE_INFINITY;
            for (int s = 0; s < starts; s++) {
                if (values[i * starts + s] < lowest) {
                    lowest = values[i * starts + s];
                    best[i] = s;
                }
            }
        }
        return best;
    }

    /**
     * Rows [prefix_i, u_(i,s)] for problem i repeated {@code repeat} times: prefix has {@code prefixWidth}
     * values per problem (may be null when 0), u has {@code uWidth} values per row (null when 0).
     */
    private static double[] rows(double[] prefix, int prefixWidth, double[] u, int uWidth, int n, int repeat) {
        int width = prefixWidth + uWidth;
        double[] out = new double[n * repeat * width];
        for (int r = 0; r < n * repeat; r++) {
            if (prefixWidth > 0) System.arraycopy(prefix, (r / repeat) * prefixWidth, out, r * width, prefixWidth);
            if (uWidth > 0) System.arraycopy(u, r * uWidth, out, r * width + prefixWidth, uWidth);
        }
        return out;
    }

    /** The last u.length / rows columns of each row of {@code in} (after the first {@code skip}). */
    private static void columns(double[] in, int width, int skip, double[] u) {
        int dim = width - skip;
        for (int r = 0; r < u.length / dim; r++) System.arraycopy(in, r * width + skip, u, r * dim, dim);
    }

    private static int rowSize(double[] values, int n) {
        return values == null ? 0 : values.length / n;
    }

    /**
     * xi = mid + half * u: the bounds' box on bounded dimensions, the training parameters' range on
     * unbounded ones (the surrogate has seen nothing outside it).
     */
    record Normalisation(double[] mid, double[] half, boolean[] bounded) {
        /** {@code truth}: this rank's part of the training parameters; the range is that of every rank's. */
        static Normalisation of(Bounds bounds, double[] truth, Communicator world) {
            int dim = bounds.dim();
            double[] lo = new double[dim], hi = new double[dim];
            boolean[] bounded = new boolean[dim];
            for (int d = 0; d < dim; d++) {
                bounded[d] = bounds.isBounded(d);
                lo[d] = Double.POSITIVE_INFINITY;
                hi[d] = Double.NEGATIVE_INFINITY;
                for (int j = d; j < truth.length; j += dim) {
                    lo[d] = Math.min(lo[d], truth[j]);
                    hi[d] = Math.max(hi[d], truth[j]);
                }
            }
            DataParallel.extremes(world, lo, hi);
            double[] mid = new double[dim], half = new double[dim];
            for (int d = 0; d < dim; d++) {
                double a = bounds.lo(d), b = bounds.hi(d);
                if (!bounded[d]) {
                    a = lo[d];
                    b = hi[d];
                    if (b - a < 1e-12) {
                        a -= 1;
                        b += 1;
                    }
                }
                mid[d] = 0.5 * (a + b);
                half[d] = 0.5 * (b - a);
            }
            return new Normalisation(mid, half, bounded);
        }


        int dim() {
            return mid.length;
        }

        double[] toNormalised(double[] xi) {
            double[] u = new double[xi.length];
            for (int i = 0; i < xi.length; i++) u[i] = (xi[i] - mid[i % mid.length]) / half[i % mid.length];
            return u;
        }

        void toPhysical(double[] u, double[] xi) {
            for (int i = 0; i < u.length; i++) xi[i] = mid[i % mid.length] + half[i % mid.length] * u[i];
        }

        /** Into [-1, 1] on bounded dimensions, i.e. into the bounds. */
        void clamp(double[] u) {
            for (int i = 0; i < u.length; i++) if (bounded[i % mid.length]) u[i] = Math.max(-1, Math.min(1, u[i]));
        }

        /** B with mu = mid and R = 2 half: the training range (the prior's box). */
        BoundaryLoss boundaryLoss() {
            double[] range = new double[half.length];
            for (int d = 0; d < range.length; d++) range[d] = 2 * half[d];
            return new BoundaryLoss(mid, range);
        }
    }
}
