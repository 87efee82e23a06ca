package dev.reparam.cli;

import dev.reparam.cuda.Backends;
import dev.reparam.cuda.CudaDtype;
import dev.reparam.experiments.Experiment;
import dev.reparam.experiments.Experiments;
import dev.reparam.experiments.MethodSummary;
import dev.reparam.experiments.Methods;
import dev.reparam.experiments.Profile;
import dev.reparam.experiments.SolveJob;
import dev.reparam.parallel.Communicator;
import dev.reparam.parallel.Communicators;
import dev.reparam.parallel.Range;
import dev.reparam.inverse.ProblemSet;
import dev.reparam.inverse.ProgressListener;
import dev.reparam.inverse.Rebounded;
import dev.reparam.io.Errors;
import dev.reparam.io.FileDigest;
import dev.reparam.io.Npy;
import dev.reparam.io.NpyArray;
import dev.reparam.io.StagedDirectory;
import dev.reparam.tensor.Backend;
import dev.reparam.tensor.Bounds;
import dev.reparam.tensor.Parallel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;

/** {@code reparam solve <experiment>}: generate (or load) problems, run the methods, print and write the results. */
@Command(name = "solve", mixinStandardHelpOptions = true,
        description = "Solve one problem set of an experiment with several methods.")
final class SolveCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "experiment: ${COMPLETION-CANDIDATES} (ks and ns for short)",
            completionCandidates = ExperimentNames.class)
    String experiment;

    private static final int DEFAULT_N = 64;

    @Option(names = "--n", description = "number of problems (default 64; with --observations: their count)")
    Integer n;

    @Option(names = "--seed",
            description = "fixes problems, noise and network initialisation (default ${DEFAULT-VALUE})",
            defaultValue = "0")
    long seed;

    @Option(names = "--methods", split = ",",
            description = "comma-separated, from: ${COMPLETION-CANDIDATES} (BFGS always runs: it is the reference)",
            completionCandidates = MethodNames.class, defaultValue = "bfgs,reparam")
    List<String> methods;

    @Option(names = "--out",
            description = "output directory, replaced as a whole when the run finishes (default "
            + "out/<experiment>-n<n>-s<seed>)")
    Path out;

    @Option(names = "--iterations", description = "training iterations of network methods (default: the experiment's)")
    Integer iterations;

    @Option(names = "--lr", description = "Adam learning rate (default: the experiment's)")
    Double learningRate;

    @Option(names = "--threads", description = "CPU threads (default: all cores)")
    Integer threads;

    @Option(names = "--observations",
            description = "NPY file of observations [n, ...] to solve instead of generated problems")
    Path observations;

    @Option(names = "--inputs", description = "NPY file of the known inputs x_i [n, ...] that go with --observations")
    Path inputs;

    @Option(names = "--profile", description = "quick or paper: the training budget (default ${DEFAULT-VALUE})",
            defaultValue = "paper")
    String profile;

    @Option(names = "--bounds", split = ",",
            description = "search bounds per unknown as LO:HI (default: the experiment's prior)")
    List<String> bounds;

    @Option(names = "--quiet",
            description = "no progress bars, and no notice when --backend auto falls back to the CPU")
    boolean quiet;

    @Option(names = "--backend",
            description = "auto, cpu or cuda: auto takes CUDA when a GPU and the built kernels are present (default "
            + "${DEFAULT-VALUE})", defaultValue = "auto")
    String backend;

    @Option(names = "--dtype",
            description = "float64 or float32; float32 needs the CUDA backend (default ${DEFAULT-VALUE})",
            defaultValue = "float64")
    String dtype;

    @Option(names = "--allow-cpu-fallback",
            description = "with --backend auto --dtype float32: compute in float64 on the CPU "
            + "when CUDA is unavailable (refused otherwise)")
    boolean allowCpuFallback;

    @Option(names = "--cuda-graphs",
            description = "on or off: with --backend cuda, record one training iteration as a CUDA graph "
            + "and replay it (default ${DEFAULT-VALUE}; it falls back to off with a notice where capture fails)",
            defaultValue = "on")
    String cudaGraphs;

    @Override
    public Integer call() throws Exception {
        Profile p = Profile.parse(profile);
        Experiment exp = Experiments.byName(experiment).forProfile(p);
        int threadCount = OptionChecks.threads("--threads", threads);
        int trainingIterations = OptionChecks.atLeastOne("--iterations", iterations, 0);
        double lr = OptionChecks.positiveFinite("--lr", learningRate, 0);
        OptionChecks.distinct("--methods", methods);
        methods.forEach(Methods::requireKnown);
        OptionChecks.nonEmptyPath("--out", out);
        Backends.Choice choice = Backends.parseChoice(backend);
        CudaDtype type = Backends.parseDtype(dtype);
        boolean graphs = Backends.parseGraphs(cudaGraphs);
        Bounds searchBounds = bounds == null ? null : parseBounds(bounds);
        if (observations == null) {
            MemoryEstimate.requireFits(exp, p, n == null ? DEFAULT_N : n);
        }
        // under mpirun this process is one rank of the run (docs/scaling.md); started alone it is the whole run
        Communicator world = Communicators.world();
        // an unusable --out is refused before any work (by rank 0, which alone writes); the run checks it again
        // when it starts writing
        if (out != null && world.isRoot()) StagedDirectory.checkTarget(out, "--out", SolveJob.SUMMARY);
        threadCount = OptionChecks.threadsPerRank(threadCount);
        if (threadCount > 0) Parallel.setThreads(threadCount);
        // under mpirun each rank generates (and simulates), or reads, only its part of the problems
        Loaded loaded = loadOrGenerate(exp, p, world);
        ProblemSet problems = loaded.problems();
        int count = loaded.count();
        boolean part = world.size() > 1;
        if (searchBounds != null) Rebounded.checked(searchBounds, problems);
        Path dir = out != null ? out : Path.of("out", exp.name() + "-n" + count + "-s" + seed);
        // after the input checks, so that --backend cuda without a device fails on its own line
        try (Backend be = Backends.open(choice, type, allowCpuFallback, graphs,
                Communicators.localRank(System.getenv()), notices(world))) {
            SolveJob job = new SolveJob(new SolveJob.Config(exp, count, seed, methods, be, p,
                    trainingIterations, lr, bounds == null ? "prior" : String.join(",", bounds),
                    observations == null ? null : FileDigest.sha256(observations),
                    inputs == null ? null : FileDigest.sha256(inputs), dir), world);
            return solve(exp, job, problems, part, count, searchBounds, dir, world.isRoot());
        }
    }

    /**
     * Where the backend's notices go. Of an MPI run's ranks, each names the GPU it opened (with
     * its rank: which rank got which device is the first question on a cluster); the other
     * notices, the same on every rank, come from rank 0 alone.
     */
    private Consumer<String> notices(Communicator world) {
        if (quiet) return notice -> { };
        if (world.size() == 1) return System.err::println;
        String prefix = "reparam: rank " + world.rank() + " of " + world.size() + ": ";
        return notice -> {
            if (world.isRoot() || notice.startsWith(Backends.DEVICE_NOTICE)) {
                System.err.println(prefix + notice.replaceFirst("^reparam: ", ""));
            }
        };
    }

    /** Only rank 0 of an MPI run shows progress and the table: the others' parts are in it. */
    private int solve(Experiment exp, SolveJob job, ProblemSet problems, boolean part, int count, Bounds searchBounds,
            Path dir, boolean root) throws IOException {
        Map<String, MethodSummary> results;
        try (ConsoleProgress bar = new ConsoleProgress()) {
            ProgressListener progress = quiet || !root ? ProgressListener.NONE : bar;
            results = part ? job.runPart(problems, searchBounds, progress) : job.run(problems, searchBounds, progress);
        }
        if (!root) return 0;
        System.out.print(SummaryTable.format(exp.name(), count, seed, results));
        System.out.println("results written to " + dir.toAbsolutePath().normalize());
        return 0;
    }

    /** The problems of this process (all of them, or under mpirun this rank's part) and how many there are in all. */
    private record Loaded(ProblemSet problems, int count) {}

    /** The problems from --observations, or generated. */
    private Loaded loadOrGenerate(Experiment exp, Profile p, Communicator world) throws IOException {
        if (observations == null) {
            if (inputs != null) throw new IllegalArgumentException("--inputs needs --observations");
            int count = OptionChecks.atLeastOne("--n", n, DEFAULT_N);
            if (world.size() == 1) return new Loaded(exp.generate(count, seed), count);
            SolveJob.requireProblemsForEveryRank(count, world);
            Range mine = world.shard(count);
            return new Loaded(exp.generatePart(count, seed, mine.start(), mine.end()), count);
        }
        int[] shape = read("--observations", observations, Npy::shape);
        if (shape.length == 0 || shape[0] < 1) {
            throw new IllegalArgumentException("--observations " + observations + ": need at least one problem, shape "
                    + Arrays.toString(shape));
        }
        int rows = shape[0];
        if (n != null && n != rows) {
            throw new IllegalArgumentException("--n " + n + " but --observations " + observations + " holds " + rows
                    + " problems: leave out --n or make them agree");
        }
        SolveJob.requireProblemsForEveryRank(rows, world);
        Range mine = world.shard(rows);
        MemoryEstimate.requireFits(exp, p, mine.size());
        NpyArray y = read("--observations", observations, f -> Npy.readRows(f, mine.start(), mine.end()));
        if (inputs == null) return new Loaded(exp.fromObservations(y.data(), y.shape(), null, null), rows);
        int[] inputShape = read("--inputs", inputs, Npy::shape);
        if (inputShape.length == 0 || inputShape[0] != rows) {
            throw new IllegalArgumentException("--inputs " + inputs + ": shape " + Arrays.toString(inputShape)
                    + " does not match the " + rows + " problems of --observations");
        }
        NpyArray x = read("--inputs", inputs, f -> Npy.readRows(f, mine.start(), mine.end()));
        return new Loaded(exp.fromObservations(y.data(), y.shape(), x.data(), x.shape()), rows);
    }

    /** The file, or one line that names the option, the file and what is wrong with it. */
    private static <T> T read(String option, Path file, Function<Path, T> reader) {
        try {
            return reader.apply(file);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            String why = Errors.describe(e);
            throw new IllegalArgumentException(option + (why.startsWith(file.toString()) ? " " : ": ") + why, e);
        }
    }

    static Bounds parseBounds(List<String> spec) {
        double[] lo = new double[spec.size()], hi = new double[spec.size()];
        for (int d = 0; d < spec.size(); d++) {
            String[] parts = spec.get(d).split(":");
            if (parts.length != 2) {
                throw new IllegalArgumentException("--bounds: expected LO:HI, got '" + spec.get(d) + "'");
            }
            try {
                lo[d] = Double.parseDouble(parts[0]);
                hi[d] = Double.parseDouble(parts[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--bounds: not a number in '" + spec.get(d) + "'");
            }
        }
        try {
            return new Bounds(lo, hi);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--bounds: " + e.getMessage(), e);
        }
    }

    static final class MethodNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Methods.names().iterator();
        }
    }

    static final class ExperimentNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Experiments.names().iterator();
        }
    }
}
