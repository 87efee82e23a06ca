package dev.reparam.cli;

import dev.reparam.experiments.Experiment;
import dev.reparam.experiments.Experiments;
import dev.reparam.experiments.MethodSummary;
import dev.reparam.experiments.Profile;
import dev.reparam.experiments.SolveJob;
import dev.reparam.inverse.Bounds;
import dev.reparam.inverse.ProblemSet;
import dev.reparam.inverse.ProgressListener;
import dev.reparam.inverse.Rebounded;
import dev.reparam.io.Npy;
import dev.reparam.io.NpyArray;
import dev.reparam.cuda.Backends;
import dev.reparam.cuda.CudaBackend;
import dev.reparam.cuda.CudaDtype;
import dev.reparam.tensor.Backend;
import dev.reparam.tensor.Parallel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code reparam solve <experiment>}: generate (or load) problems, run the methods, print and write the results. */
@Command(name = "solve", mixinStandardHelpOptions = true, description = "Solve one problem set of an experiment with several methods.")
final class SolveCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "experiment: ${COMPLETION-CANDIDATES}", completionCandidates = ExperimentNames.class)
    String experiment;

    @Option(names = "--n", description = "number of problems (default ${DEFAULT-VALUE})", defaultValue = "64")
    int n;

    @Option(names = "--seed", description = "fixes problems, noise and network initialisation (default ${DEFAULT-VALUE})", defaultValue = "0")
    long seed;

    @Option(names = "--methods", split = ",", description = "comma-separated, from: ${COMPLETION-CANDIDATES} (BFGS always runs: it is the reference)", completionCandidates = MethodNames.class,
            defaultValue = "bfgs,reparam")
    List<String> methods;

    @Option(names = "--out", description = "output directory (default out/<experiment>-n<n>-s<seed>)")
    Path out;

    @Option(names = "--iterations", description = "training iterations of network methods (default: the experiment's)", defaultValue = "0")
    int iterations;

    @Option(names = "--lr", description = "Adam learning rate (default: the experiment's)", defaultValue = "0")
    double learningRate;

    @Option(names = "--threads", description = "CPU threads (default: all cores)", defaultValue = "0")
    int threads;

    @Option(names = "--observations", description = "NPY file of observations [n, ...] to solve instead of generated problems")
    Path observations;

    @Option(names = "--inputs", description = "NPY file of the known inputs x_i [n, ...] that go with --observations")
    Path inputs;

    @Option(names = "--profile", description = "quick or paper: the training budget (default ${DEFAULT-VALUE})", defaultValue = "paper")
    String profile;

    @Option(names = "--bounds", split = ",", description = "search bounds per unknown as LO:HI (default: the experiment's prior)")
    List<String> bounds;

    @Option(names = "--quiet", description = "no progress bars, and no notice when --backend auto falls back to the CPU")
    boolean quiet;

    @Option(names = "--backend", description = "auto, cpu or cuda: auto takes CUDA when a GPU and the built kernels are present (default ${DEFAULT-VALUE})",
            defaultValue = "auto")
    String backend;

    @Option(names = "--dtype", description = "float64 or float32; float32 needs the CUDA backend (default ${DEFAULT-VALUE})", defaultValue = "float64")
    String dtype;

    @Option(names = "--cuda-graphs", description = "on or off: with --backend cuda, record one training iteration as a CUDA graph "
            + "and replay it (default ${DEFAULT-VALUE}; it falls back to off with a notice where capture fails)", defaultValue = "on")
    String cudaGraphs;

    @Override
    public Integer call() throws Exception {
        Experiment exp = Experiments.byName(experiment).forProfile(Profile.parse(profile));
        if (threads < 0) throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
        if (threads > 0) Parallel.setThreads(threads);
        Backends.Choice choice = Backends.parseChoice(backend);
        CudaDtype type = Backends.parseDtype(dtype);
        boolean graphs = Backends.parseGraphs(cudaGraphs);
        ProblemSet problems = loadOrGenerate(exp);
        Bounds searchBounds = bounds == null ? null : Rebounded.checked(parseBounds(bounds), problems);
        // after the input checks, so that --backend cuda without a device fails on its own line
        Backend be = Backends.open(choice, type, quiet ? notice -> { } : System.err::println);
        if (be instanceof CudaBackend cuda) cuda.setGraphs(graphs);
        ProblemSet evaluated = null;
        try {
            evaluated = exp.onBackend(problems, be);
            return solve(exp, searchBounds == null ? evaluated : new Rebounded(evaluated, searchBounds), be);
        } finally {
            try {
                if (evaluated != problems && evaluated instanceof AutoCloseable device) device.close();
            } finally {
                if (be instanceof CudaBackend cuda) cuda.close();
            }
        }
    }

    private int solve(Experiment exp, ProblemSet problems, Backend be) throws java.io.IOException {
        Path dir = out != null ? out : Path.of("out", exp.name() + "-n" + problems.size() + "-s" + seed);
        SolveJob job = new SolveJob(new SolveJob.Config(exp, problems.size(), seed, methods, be,
                Profile.parse(profile), iterations, learningRate, dir));
        Map<String, MethodSummary> results;
        try (ConsoleProgress bar = new ConsoleProgress()) {
            results = job.run(problems, quiet ? ProgressListener.NONE : bar);
        }
        System.out.print(SummaryTable.format(exp.name(), problems.size(), seed, results));
        System.out.println("results written to " + dir.toAbsolutePath().normalize());
        return 0;
    }

    private ProblemSet loadOrGenerate(Experiment exp) throws java.io.IOException {
        if (observations == null) {
            if (inputs != null) throw new IllegalArgumentException("--inputs needs --observations");
            if (n < 1) throw new IllegalArgumentException("--n must be >= 1, got " + n);
            return exp.generate(n, seed);
        }
        NpyArray y = Npy.read(observations);
        if (y.shape().length == 0 || y.shape()[0] < 1) {
            throw new IllegalArgumentException("--observations " + observations + ": need at least one problem, shape "
                    + java.util.Arrays.toString(y.shape()));
        }
        if (inputs == null) return exp.fromObservations(y.data(), y.shape(), null, null);
        NpyArray x = Npy.read(inputs);
        if (x.shape().length == 0 || x.shape()[0] != y.shape()[0]) {
            throw new IllegalArgumentException("--inputs " + inputs + ": shape " + java.util.Arrays.toString(x.shape())
                    + " does not match the " + y.shape()[0] + " problems of --observations");
        }
        return exp.fromObservations(y.data(), y.shape(), x.data(), x.shape());
    }

    static Bounds parseBounds(List<String> spec) {
        double[] lo = new double[spec.size()], hi = new double[spec.size()];
        for (int d = 0; d < spec.size(); d++) {
            String[] parts = spec.get(d).split(":");
            if (parts.length != 2) throw new IllegalArgumentException("--bounds: expected LO:HI, got '" + spec.get(d) + "'");
            try {
                lo[d] = Double.parseDouble(parts[0]);
                hi[d] = Double.parseDouble(parts[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--bounds: not a number in '" + spec.get(d) + "'");
            }
        }
        return new Bounds(lo, hi);
    }

    static final class MethodNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return dev.reparam.experiments.Methods.names().iterator();
        }
    }

    static final class ExperimentNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Experiments.names().iterator();
        }
    }
}
