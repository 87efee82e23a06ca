package dev.reparam.experiments;

import dev.reparam.inverse.Bfgs;
import dev.reparam.inverse.GatheredProblems;
import dev.reparam.inverse.MethodResult;
import dev.reparam.inverse.NeuralAdjoint;
import dev.reparam.inverse.PlacedProblems;
import dev.reparam.inverse.Placement;
import dev.reparam.inverse.ProblemSet;
import dev.reparam.inverse.ProblemSets;
import dev.reparam.inverse.ProblemSlice;
import dev.reparam.inverse.ProgressListener;
import dev.reparam.inverse.Rebounded;
import dev.reparam.inverse.Refinement;
import dev.reparam.inverse.Reparameterized;
import dev.reparam.inverse.ShardedResults;
import dev.reparam.inverse.Supervised;
import dev.reparam.io.StagedDirectory;
import dev.reparam.io.Version;
import dev.reparam.optim.NonFiniteGradientException;
import dev.reparam.parallel.Communicator;
import dev.reparam.parallel.Range;
import dev.reparam.parallel.SingleProcess;
import dev.reparam.tensor.Backend;
import dev.reparam.tensor.Bounds;
import dev.reparam.tensor.Parallel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the requested methods on one problem set: BFGS first (it is the reference every other
 * method is compared with, so it always runs), then each network method followed by its BFGS
 * refinement. The run is a transaction ({@link StagedDirectory}): results are written into a
 * staging directory and moved into {@code out} only when every method finished, so a failure
 * leaves an earlier result in {@code out} as it was. A network method whose training diverges
 * is a result, not a failure: its summary says where, and the other methods' results stand.
 *
 * <p>Over the ranks of an MPI run ({@link Communicator}) every rank solves its contiguous part of
 * the problems: BFGS and refinement problem by problem, the network methods data-parallel.
 * Rank 0 gathers the parts and alone writes the run, which is then what one process writes.
 */
public final class SolveJob {
    /** The marker of a finished run directory. */
    public static final String SUMMARY = "summary.json";

    /**
     * What to run. {@code trainingIterations} and {@code learningRate} override the experiment's
     * budget when > 0; {@code bounds} is "prior" or the bounds as given; the hashes identify user
     * data (null for generated problems).
     */
    public record Config(Experiment experiment, int n, long seed, List<String> methods, Backend backend,
                         Profile profile, int trainingIterations, double learningRate, String bounds,
                         String observationsSha256, String inputsSha256, Path out) {
        public Config {
            if (n < 1) throw new IllegalArgumentException("--n must be >= 1, got " + n);
            if (methods.isEmpty()) throw new IllegalArgumentException("--methods: give at least one method");
            methods.forEach(Methods::requireKnown);
            if (methods.stream().distinct().count() != methods.size()) {
                throw new IllegalArgumentException("--methods: a method is listed twice: " + String.join(",", methods));
            }
        }
    }

    private final Config config;
    private final Communicator world;

    public SolveJob(Config config) {
        this(config, SingleProcess.INSTANCE);
    }

    public SolveJob(Config config, Communicator world) {
        requireProblemsForEveryRank(config.n(), world);
        this.config = config;
        this.world = world;
    }

    /** Every rank must hold at least one problem: a rank with none would have nothing to train its part on. */
    public static void requireProblemsForEveryRank(int n, Communicator world) {
        if (n < world.size()) {
            throw new IllegalArgumentException("--n " + n + ": fewer problems than the " + world.size()
                    + " ranks of this MPI run; every rank needs at least one");
        }
    }

    /** The network seed is derived from the run seed so problems and initialisation never share a stream. */
    public static long networkSeed(long seed) {
        return seed * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
    }

    /** The training options as this run uses them: the experiment's, with the overrides applied. */
    Reparameterized.Options training() {
        Reparameterized.Options t = config.experiment().training(networkSeed(config.seed()), config.profile());
        if (config.trainingIterations() <= 0 && config.learningRate() <= 0) return t;
        return new Reparameterized.Options(
                config.trainingIterations() > 0 ? config.trainingIterations() : t.iterations(),
                config.learningRate() > 0 ? config.learningRate() : t.learningRate(), t.maxGradNorm(), t.seed());
    }

    /** BFGS first, then the other requested methods in their order. */
    List<String> methodOrder() {
        List<String> order = new ArrayList<>(List.of(Bfgs.NAME));
        config.methods().stream().filter(m -> !m.equals(Bfgs.NAME)).forEach(order::add);
        return order;
    }

    /** Everything that defines this run's results (recorded in summary.json, compared on resume). */
    public RunSpec spec() {
        Reparameterized.Options t = training();
        Experiment exp = config.experiment();
        return new RunSpec(exp.name(), config.profile().name().toLowerCase(Locale.ROOT), config.n(), config.seed(),
                methodOrder(), t.iterations(), t.learningRate(), t.maxGradNorm(), exp.lbfgs(), config.bounds(),
                config.backend().name(), config.backend().dtypeName(), config.observationsSha256(),
                config.inputsSha256(), Version.get());
    }

    public Map<String, MethodSummary> run(ProblemSet problems, ProgressListener progress) throws IOException {
        return run(problems, null, progress);
    }

    /**
     * Solves {@code problems} with every method into the output directory, searching within
     * {@code searchBounds} (null: the problems' own). The problems are placed on the run's backend
     * once ({@link Placement}): BFGS, every network method and refinement evaluate them there.
     */
    public Map<String, MethodSummary> run(ProblemSet raw, Bounds searchBounds,
            ProgressListener progress) throws IOException {
        if (raw.size() != config.n()) {
            throw new IllegalArgumentException("--n " + config.n() + " but the problem set has " + raw.size()
                    + " problems");
        }
        Range part = world.shard(raw.size());
        return runPart(world.size() == 1 ? raw : new ProblemSlice(raw, part.start(), part.end()), searchBounds,
                progress);
    }

    /**
     * As {@link #run(ProblemSet, Bounds, ProgressListener)}, given only this rank's part of the
     * problems ({@link Communicator#shard} of n; all of them on one rank), as
     * {@link Experiment#generatePart} makes it. Rank 0 gathers the parts' data to write them.
     */
    public Map<String, MethodSummary> runPart(ProblemSet mine, Bounds searchBounds, ProgressListener progress)
            throws IOException {
        Range part = world.shard(config.n());
        if (mine.size() != part.size()) {
            throw new IllegalArgumentException("rank " + world.rank() + " of " + world.size() + " holds " + mine.size()
                    + " problems; its part of --n " + config.n() + " is " + part.size());
        }
        ProblemSet all = world.size() == 1 ? mine : GatheredProblems.gather(world, mine);
        if (all != null && searchBounds != null) all = new Rebounded(all, searchBounds);
        try (PlacedProblems placed = Placement.place(mine, config.backend())) {
            return solve(all, searchBounds == null ? placed : new Rebounded(placed, searchBounds), progress);
        }
    }

    /**
     * {@code all}: every problem's data, as written (rank 0; null on the others); {@code mine}:
     * this rank's part, as solved (all of them on one rank).
     */
    private Map<String, MethodSummary> solve(ProblemSet all, ProblemSet mine, ProgressListener progress)
            throws IOException {
        // a bad problem is named by its index among all n, whichever rank holds it
        int first = world.shard(config.n()).start();
        ProblemSets.validate(mine, first);
        ProblemSets.requireFiniteStart(mine, first);
        Experiment exp = config.experiment();
        Reparameterized.Options training = training();
        // only rank 0 writes: the others solve their part and hand it over
        try (StagedDirectory stage = world.isRoot() ? StagedDirectory.begin(config.out(), "--out", SUMMARY) : null) {
            ResultWriter writer = stage == null ? null : new ResultWriter(stage.dir());
            if (writer != null) writer.writeProblems(all);

            Bfgs bfgs = new Bfgs(exp.lbfgs(), config.backend()::lbfgsVectors);
            Map<String, MethodSummary> summaries = new LinkedHashMap<>();
            // rank 0's seconds in collectives per method (waiting for the other ranks included): docs/scaling.md
            Map<String, Double> collective = new LinkedHashMap<>();
            double before = world.collectiveSeconds();
            MethodResult reference = ShardedResults.gather(world, bfgs.solve(mine, progress));
            collective.put(Bfgs.NAME, world.collectiveSeconds() - before);
            if (writer != null) record(writer, all, reference, reference, training.iterations(), summaries);

            Refinement refinement = new Refinement(bfgs);
            for (String m : methodOrder()) {
                if (m.equals(Bfgs.NAME)) continue;
                long start = System.nanoTime();
                before = world.collectiveSeconds();
                MethodResult r;
                try {
                    r = world.size() == 1 ? Methods.network(m).solve(exp, mine, config.backend(), training, progress)
                            : dataParallel(m, exp, mine, training, progress);
                } catch (NonFiniteGradientException e) {
                    // every rank sees it at the same step: the check reads the summed gradient
                    summaries.put(m, MethodSummary.diverged(m, new MethodSummary.Divergence(e.step(), e.getMessage()),
                            (System.nanoTime() - start) * 1e-9, config.n()));
                    continue;
                }
                collective.put(m, world.collectiveSeconds() - before);
                r = ShardedResults.gather(world, refinement.refine(mine, r, progress));
                if (writer != null) record(writer, all, r, reference, training.iterations(), summaries);
            }
            if (stage == null) return summaries;
            Map<String, Object> methods = new LinkedHashMap<>();
            summaries.forEach((name, s) -> methods.put(name, s.toJson()));
            writer.writeSummary(runInfo(all, collective), methods);
            stage.commit();
            return summaries;
        }
    }

    /** Method {@code m} over the ranks, on this rank's part: {@code mine}, and as much of the training set. */
    private MethodResult dataParallel(String m, Experiment exp, ProblemSet mine, Reparameterized.Options training,
                                      ProgressListener progress) {
        if (m.equals(Reparameterized.NAME)) {
            return new Reparameterized(config.backend(), exp.network(), training, world).solve(mine, progress);
        }
        // the training set is the 1-rank one (n problems under its own seed); each rank trains on its rows
        Range part = world.shard(config.n());
        ProblemSet myRows = Methods.trainingSetPart(exp, config.n(), training, part.start(), part.end());
        if (m.equals(NeuralAdjoint.NAME)) {
            return new NeuralAdjoint(config.backend(), exp::surrogateLayers, training, myRows,
                    NeuralAdjoint.Search.DEFAULT, world).solve(mine, progress);
        }
        return new Supervised(config.backend(), exp.network(), training, myRows, world).solve(mine, progress);
    }

    private void record(ResultWriter writer, ProblemSet problems, MethodResult r, MethodResult reference,
                        int trainingIterations, Map<String, MethodSummary> summaries) throws IOException {
        summaries.put(r.method(), MethodSummary.of(r, reference, trainingIterations, problems.trueParameters()));
        writer.writeMethod(r, problems.dim());
    }

    private Map<String, Object> runInfo(ProblemSet problems, Map<String, Double> collectiveSeconds) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("experiment", config.experiment().name());
        info.put("n", problems.size());
        info.put("seed", config.seed());
        info.put("backend", config.backend().name());
        info.put("dtype", config.backend().dtypeName());
        info.put("threads", Parallel.threads());
        info.put("ranks", world.size());
        if (world.size() > 1) info.put("collectiveSeconds", collectiveSeconds);
        info.put("version", Version.get());
        info.put("run", spec().toJson());
        return info;
    }
}
