package dev.reparam.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reparam.inverse.ProgressListener;
import dev.reparam.parallel.Communicator;
import dev.reparam.parallel.Range;
import dev.reparam.parallel.SingleProcess;
import dev.reparam.tensor.cpu.CpuBackend;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Runs SolveJob for every (experiment, n, seed) into {@code out/runs/<experiment>/n<n>-s<seed>/}.
 * Each run is moved into place when it finishes, and a finished run is skipped when it records
 * the settings asked for (RunStatus), so an interrupted sweep is continued by starting it again
 * and a sweep with other settings redoes what differs, saying why. A {@link Shard} runs only its
 * part of the runs, so K processes (on K nodes) can share one {@code out}.
 */
public final class Sweep {
    /**
     * {@code trainingIterations} overrides the experiments' budgets when > 0 (tests, quick looks);
     * {@code shard} selects the part of the runs this process does ({@link Shard#ALL}: every run).
     */
    public record Config(List<String> experiments, List<Integer> ns, int seeds, List<String> methods,
                         Profile profile, int trainingIterations, Path out, Shard shard) {
        public Config {
            experiments.forEach(Experiments::byName);
            if (ns.isEmpty()) throw new IllegalArgumentException("--n: give at least one problem count");
            for (int n : ns) if (n < 1) throw new IllegalArgumentException("--n must be >= 1, got " + n);
            if (seeds < 1) throw new IllegalArgumentException("--seeds must be >= 1, got " + seeds);
            if (methods.isEmpty()) throw new IllegalArgumentException("--methods: give at least one method");
            methods.forEach(Methods::requireKnown);
            requireDistinct("--experiments", experiments.stream().map(e -> Experiments.byName(e).name()).toList());
            requireDistinct("--n", ns);
            requireDistinct("--methods", methods);
        }
    }

    /** What a sweep did: the runs it executed (in order) and how many it found finished already. */
    public record Outcome(int total, List<Path> executed, int skipped) {}

    private record Run(Experiment experiment, int n, long seed, Path dir, SolveJob job) {
        String label() {
            return experiment.name() + " n=" + n + " seed=" + seed;
        }

        /** The unit of cost: problems times training iterations (the work of one run grows with both). */
        double work() {
            return (double) n * job.training().iterations();
        }

        /** Estimated seconds, to balance shards: runs of different experiments differ in cost per unit of work. */
        double estimatedSeconds(Profile profile) {
            return work() * experiment.secondsPerProblemIteration(profile);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Config config;
    private final Communicator world;

    public Sweep(Config config) {
        this(config, SingleProcess.INSTANCE);
    }

    /**
     * Over {@code world}'s ranks (a sweep under mpirun): every run is one data-parallel solve over
     * all of them, as {@code solve} under mpirun is. Rank 0 decides which runs are pending and
     * alone writes and logs.
     */
    public Sweep(Config config, Communicator world) {
        this.config = config;
        this.world = world;
    }

    public static Path runDir(Path out, String experiment, int n, long seed) {
        return out.resolve("runs").resolve(experiment).resolve("n" + n + "-s" + seed);
    }

    /** Runs what is not finished yet; one line per redone run saying why, one progress line per run on {@code log}. */
    public Outcome run(PrintStream log) throws IOException {
        List<Run> runs = new ArrayList<>();
        for (String name : config.experiments()) {
            Experiment exp = Experiments.byName(name).forProfile(config.profile());
            for (int n : config.ns())
                for (long seed = 0; seed < config.seeds(); seed++) {
                    Path dir = runDir(config.out(), exp.name(), n, seed);
                    SolveJob job = new SolveJob(new SolveJob.Config(exp, n, seed, config.methods(), CpuBackend.INSTANCE,
                            config.profile(), config.trainingIterations(), 0, "prior", null, null, dir), world);
                    runs.add(new Run(exp, n, seed, dir, job));
                }
        }
        Shard shard = config.shard();
        if (!shard.isWhole()) {
            double all = runs.stream().mapToDouble(r -> r.estimatedSeconds(config.profile())).sum();
            runs = shard.select(runs, r -> r.estimatedSeconds(config.profile()));
            double mine = runs.stream().mapToDouble(r -> r.estimatedSeconds(config.profile())).sum();
            log.printf(Locale.ROOT, "shard %s: %d runs, %.0f %% of the sweep's estimated cost%n", shard, runs.size(),
                    all > 0 ? 100 * mine / all : 0);
        }
        Cost cost = new Cost();
        // rank 0 reads what is on disk and decides; every rank then runs the same list
        double[] redo = new double[runs.size()];
        for (int i = 0; i < runs.size() && world.isRoot(); i++) {
            Run r = runs.get(i);
            String why = RunStatus.whyRedo(r.dir(), r.job().spec());
            if (why == null) {
                cost.add(r, recordedSeconds(r.dir()));
                continue;
            }
            // a run that never started is simply pending; one that exists but cannot be reused says why
            if (Files.exists(r.dir())) log.printf("redoing %s: %s%n", r.label(), why);
            redo[i] = 1;
        }
        world.broadcast(redo);
        List<Run> pending = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) if (redo[i] == 1) pending.add(runs.get(i));
        int skipped = runs.size() - pending.size();
        if (skipped > 0) {
            log.printf("%d of %d runs finished earlier with these settings, skipping them%n", skipped, runs.size());
        }

        List<Path> executed = new ArrayList<>();
        for (int i = 0; i < pending.size(); i++) {
            Run r = pending.get(i);
            long start = System.nanoTime();
            if (world.size() == 1) {
                r.job().run(r.experiment().generate(r.n(), r.seed()), ProgressListener.NONE);
            } else {
                Range part = world.shard(r.n());
                r.job().runPart(r.experiment().generatePart(r.n(), r.seed(), part.start(), part.end()), null,
                        ProgressListener.NONE);
            }
            double seconds = (System.nanoTime() - start) * 1e-9;
            cost.add(r, seconds);
            executed.add(r.dir());
            log.printf("[%d/%d] %s done in %s; %s%n", skipped + executed.size(), runs.size(), r.label(),
                    duration(seconds), cost.left(pending.subList(i + 1, pending.size())));
        }
        return new Outcome(runs.size(), executed, skipped);
    }

    /** A finished run's wall time from its summary: every method's own time plus its refinement. */
    private static double recordedSeconds(Path dir) {
        try {
            double s = 0;
            for (JsonNode m : JSON.readTree(dir.resolve(SolveJob.SUMMARY).toFile()).path("methods")) {
                s += m.path("wallSeconds").asDouble(0) + m.path("refineSeconds").asDouble(0);
            }
            return s;
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    /**
     * Seconds per unit of work (problem x training iteration) per experiment, from the runs that
     * finished, this session's and earlier ones'. Runs of one experiment differ in cost mostly by
     * n, so this predicts a sweep's last, largest runs far better than counting runs does.
     */
    static final class Cost {
        private final Map<String, double[]> secondsAndWork = new HashMap<>();

        void add(Run r, double seconds) {
            add(r.experiment().name(), r.work(), seconds);
        }

        void add(String experiment, double work, double seconds) {
            if (!Double.isFinite(seconds)) return;
            double[] sw = secondsAndWork.computeIfAbsent(experiment, k -> new double[2]);
            sw[0] += seconds;
            sw[1] += work;
        }

        String left(List<Run> remaining) {
            return left(remaining.stream().map(r -> Map.entry(r.experiment().name(), r.work())).toList());
        }

        /** "about 3 min 20 s left", naming experiments with no finished run to estimate from. */
        String left(Iterable<Map.Entry<String, Double>> remaining) {
            double seconds = 0;
            TreeSet<String> unknown = new TreeSet<>();
            boolean any = false;
            for (Map.Entry<String, Double> r : remaining) {
                any = true;
                double[] sw = secondsAndWork.get(r.getKey());
                if (sw == null || sw[1] == 0) unknown.add(r.getKey());
                else seconds += sw[0] / sw[1] * r.getValue();
            }
            if (!any) return "sweep finished";
            String known = "about " + duration(seconds) + " left";
            if (unknown.isEmpty()) return known;
            return known + " plus " + String.join(", ", unknown) + " (no finished run to estimate from yet)";
        }
    }

    private static <T> void requireDistinct(String option, List<T> values) {
        if (new HashSet<>(values).size() != values.size()) {
            throw new IllegalArgumentException(option + ": a value is listed twice: " + values);
        }
    }

    static String duration(double seconds) {
        if (seconds < 60) return String.format(Locale.ROOT, "%.1f s", seconds);
        long s = Math.round(seconds);
        if (s < 3600) return s / 60 + " min " + s % 60 + " s";
        return s / 3600 + " h " + s % 3600 / 60 + " min";
    }
}
