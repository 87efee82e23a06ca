package dev.reparam.inverse;

import dev.reparam.autodiff.Tape;
import dev.reparam.autodiff.Var;
import dev.reparam.nn.BatchNorm;
import dev.reparam.nn.Model;
import dev.reparam.optim.Adam;
import dev.reparam.optim.AdamOptions;
import dev.reparam.parallel.Communicator;
import dev.reparam.parallel.SingleProcess;
import dev.reparam.tensor.Backend;
import dev.reparam.tensor.IterationRunner;
import dev.reparam.tensor.Tensor;
import org.apache.commons.math3.stat.StatUtils;

import java.util.List;
import java.util.function.Supplier;

/**
 * Supervised training (the paper's Eq. 3): the reparameterization network N(x, y) -> z is trained
 * on a separate training set with known parameters, on sum_j ||(xi(N(x_j, y_j)) - xi_j) / half||^2
 * (see {@link ParameterErrorOp}), full-batch Adam; then applied once to the problems, batch norm in
 * evaluation mode (running statistics), so each answer depends only on its own problem.
 *
 * <p>The curve is what the paper plots: the problems' true losses L_i of the answers the network
 * would give at each iteration (an extra evaluation-mode forward pass and simulator call per
 * iteration), not the supervised training loss, which lives in another unit.
 *
 * <p>Data-parallel over a {@link Communicator}'s ranks as {@link Reparameterized} is: each rank
 * holds its part of the training set and of the problems, the gradient is summed over ranks and
 * batch norm's statistics (running ones included) are the whole training set's.
 */
public final class Supervised {
    public static final String NAME = "supervised";

    private final Backend backend;
    private final Network network;
    private final Reparameterized.Options options;
    private final ProblemSet training;
    private final Communicator world;

    /** {@code training}: problems like the ones to solve, with {@link ProblemSet#trueParameters()}. */
    public Supervised(Backend backend, Network network, Reparameterized.Options options, ProblemSet training) {
        this(backend, network, options, training, SingleProcess.INSTANCE);
    }

    /** Over {@code world}'s ranks: {@code training} and the problems given to {@link #solve} are this rank's part. */
    public Supervised(Backend backend, Network network, Reparameterized.Options options, ProblemSet training,
                      Communicator world) {
        this.backend = backend;
        this.network = network;
        this.options = options;
        this.training = training;
        this.world = world;
    }

    public MethodResult solve(ProblemSet problems, ProgressListener progress) {
        ProblemSets.validate(problems);
        TrainingSets.requireCompatible(training, problems);
        long start = System.nanoTime();
        int n = problems.size(), m = training.size(), dim = problems.dim();
        NetworkInput trainIn = network.input(training);
        Model model = new Model(backend, BatchNorm.synchronise(network.layers(trainIn.shape(), dim), world),
                trainIn.shape(), options.seed());
        boolean parallel = world.size() > 1;
        if (parallel) DataParallel.broadcastParameters(backend, world, model);
        Adam adam = new Adam(model.params(), model.grads(),
                AdamOptions.defaults().withLr(options.learningRate()).withMaxGradNorm(options.maxGradNorm()));
        Tensor input = backend.fromHost(trainIn.data(), trainIn.batchShape(m));
        ParameterErrorOp lossOp = new ParameterErrorOp(problems.bounds(), training.trueParameters(), backend);
        Tape tape = new Tape(backend);

        NetworkInput in = network.input(problems);
        Tensor problemInput = backend.fromHost(in.data(), in.batchShape(n));
        // the seed of the backward pass: d(sum of the errors) / d(error_j) = 1, made once
        Tensor ones = backend.zeros(m);
        backend.fill(ones, 1.0);
        Supplier<Tensor> trainingStep = () -> {
            tape.clear();
            model.zeroGrad();
            Var loss = tape.apply(lossOp, model.forward(tape, tape.constant(input)));
            tape.backward(loss, ones);
            if (parallel) DataParallel.sumGradients(backend, world, model);
            adam.queueStep();
            return loss.value();
        };
        Supplier<Tensor> answers = () -> answers(model, problemInput, tape);
        double[][] curve = new double[options.iterations()][];
        Solution s;
        // Each iteration's temporaries live in a memory scope of its runner (on CUDA). The answers'
        // forward pass reads nothing back, and the training step neither when the loss is on the
        // device (DeviceLossBackend): those may be recorded as graphs.
        try (IterationRunner training = backend.iterationRunner(lossOp.recordable() && !parallel);
             IterationRunner evaluation = backend.iterationRunner(true)) {
            List<Integer> trainingKey = List.of(m, dim), answersKey = List.of(n, dim);
            for (int it = 0; it < options.iterations(); it++) {
                training.run(trainingKey, trainingStep);
                adam.checkFinite();
                curve[it] = solution(problems, evaluation.run(answersKey, answers)).loss();
                if (it % 10 == 9 || it == options.iterations() - 1) {
                    progress.progress(NAME, it + 1, options.iterations(),
                            String.format("mean loss %.4g", StatUtils.mean(curve[it])));
                }
            }
            s = solution(problems, evaluation.run(answersKey, answers));
        }
        return new MethodResult(NAME, s, null, curve, (System.nanoTime() - start) * 1e-9, 0);
    }

    /** The network's outputs z for the problems, batch norm in evaluation mode (running statistics). */
    private static Tensor answers(Model model, Tensor input, Tape tape) {
        model.setTraining(false);
        tape.clear();
        Tensor z = model.forward(tape, tape.constant(input)).value();
        tape.clear();
        model.setTraining(true);
        return z;
    }

    /** The answers z read back, their parameters and their true losses. */
    private static Solution solution(ProblemSet problems, double[] z) {
        int n = problems.size(), dim = problems.dim();
        double[] xi = new double[n * dim];
        problems.bounds().toPhysical(z, xi);
        double[] loss = new double[n];
        problems.lossAndGradient(ProblemSets.all(n), xi, loss, new double[n * dim]);
        return new Solution(z, xi, loss, null, null, null);
    }
}
