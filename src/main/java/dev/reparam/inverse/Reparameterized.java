package dev.reparam.inverse;

import org.apache.commons.math3.stat.StatUtils;

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

import java.util.List;
import java.util.function.Supplier;

/**
 * Reparameterized optimisation (the paper's Eq. 2): xi_i = N(x_i, y_i | theta), with Adam on
 * theta over the summed loss of all n problems, full batch, no extra data. Data-parallel over the
 * ranks of a {@link Communicator}: each rank holds its part of the problems and an identical
 * network (rank 0's initial parameters, broadcast), the theta gradient is summed over ranks once
 * per iteration, and batch norm uses the whole batch's statistics, so K ranks compute what one
 * rank computes on all problems, to float64 rounding.
 */
public final class Reparameterized {
    public static final String NAME = "reparam";

    /** Training budget and Adam settings; the seed fixes the network initialisation. */
    public record Options(int iterations, double learningRate, double maxGradNorm, long seed) {
        public Options {
            if (iterations < 1) throw new IllegalArgumentException("iterations must be >= 1, got " + iterations);
            if (!(learningRate > 0)) {
                throw new IllegalArgumentException("learning rate must be > 0, got " + learningRate);
            }
        }
    }

    private final Backend backend;
    private final Network network;
    private final Options options;
    private final Communicator world;

    public Reparameterized(Backend backend, Network network, Options options) {
        this(backend, network, options, SingleProcess.INSTANCE);
    }

    /** Over {@code world}'s ranks: {@link #solve} then takes this rank's part of the problems. */
    public Reparameterized(Backend backend, Network network, Options options, Communicator world) {
        this.backend = backend;
        this.network = network;
        this.options = options;
        this.world = world;
    }

    public MethodResult solve(ProblemSet problems, ProgressListener progress) {
        ProblemSets.validate(problems);
        long start = System.nanoTime();
        int n = problems.size(), dim = problems.dim();
        NetworkInput in = network.input(problems);
        Model model = new Model(backend, BatchNorm.synchronise(network.layers(in.shape(), dim), world), in.shape(),
                options.seed());
        boolean parallel = world.size() > 1;
        if (parallel) DataParallel.broadcastParameters(backend, world, model);
        Adam adam = new Adam(model.params(), model.grads(),
                AdamOptions.defaults().withLr(options.learningRate()).withMaxGradNorm(options.maxGradNorm()));
        Tensor input = backend.fromHost(in.data(), in.batchShape(n));
        ProblemLossOp lossOp = new ProblemLossOp(problems, backend);
        Tape tape = new Tape(backend);
        // the seed of the backward pass: d(sum of the losses) / d(loss_i) = 1, made once
        Tensor ones = backend.zeros(n);
        backend.fill(ones, 1.0);
        // the work of one iteration; with the losses on the device it reads nothing back, so that a
        // GPU backend can record it once and replay it (IterationRunner); the losses are read after it
        Supplier<Tensor> iteration = () -> {
            tape.clear();
            model.zeroGrad();
            Var loss = tape.apply(lossOp, model.forward(tape, tape.constant(input)));
            tape.backward(loss, ones);
            if (parallel) DataParallel.sumGradients(backend, world, model);
            adam.queueStep();
            return loss.value();
        };

        double[][] curve = new double[options.iterations()][];
        // a problem set evaluated on the host reads z back every iteration, and a device loss that
        // reads flags back (the Navier-Stokes CG) cannot be captured: nothing to record then
        // a data-parallel iteration goes through the host for its collectives: nothing to record either
        try (IterationRunner runner = backend.iterationRunner(lossOp.recordable() && !parallel)) {
            List<Integer> shapes = List.of(n, dim);
            for (int it = 0; it < options.iterations(); it++) {
                curve[it] = runner.run(shapes, iteration);
                adam.checkFinite();
                if (it % 10 == 9 || it == options.iterations() - 1) {
                    progress.progress(NAME, it + 1, options.iterations(),
                            String.format("mean loss %.4g", StatUtils.mean(curve[it])));
                }
            }
        }
        tape.clear();
        double[] z = model.forward(tape, tape.constant(input)).value().toHost();
        double[] xi = new double[n * dim];
        problems.bounds().toPhysical(z, xi);
        double[] loss = new double[n];
        double[] unusedGradient = new double[n * dim];
        problems.lossAndGradient(ProblemSets.all(n), xi, loss, unusedGradient);
        Solution s = new Solution(z, xi, loss, null, null, null);
        return new MethodResult(NAME, s, null, curve, (System.nanoTime() - start) * 1e-9, 0);
    }


}
