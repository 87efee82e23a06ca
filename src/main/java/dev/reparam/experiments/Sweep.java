package dev.reparam.experiments;

import dev.reparam.inverse.ProgressListener;
import dev.reparam.tensor.CpuBackend;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs SolveJob for every (experiment, n, seed) into {@code out/runs/<experiment>/n<n>-s<seed>/}.
 * Each run's results are on disk as soon as it finishes, and finished runs are skipped, so an
 * interrupted sweep is continued by starting it again.
 */
public final class Sweep {
    /** {@code trainingIterations} overrides the experiments' budgets when > 0 (tests, quick looks). */
    public record Config(List<String> experiments, List<Integer> ns, int seeds, List<String> methods,
                         Profile profile, int trainingIterations, Path out) {
        public Config {
            experiments.forEach(Experiments::byName);
            if (ns.isEmpty()) throw new IllegalArgumentException("--n: give at least one problem count");
            for (int n : ns) if (n < 1) throw new IllegalArgumentException("--n must be >= 1, got " + n);
            if (seeds < 1) throw new IllegalArgumentException("--seeds must be >= 1, got " + seeds);
            if (methods.isEmpty()) throw new IllegalArgumentException("--methods: give at least one method");
            methods.forEach(Methods::requireKnown);
        }
    }

    /** What a sweep did: the runs it executed (in order) and how many it found finished already. */
    public record Outcome(int total, List<Path> executed, int skipped) {}

    private record Run(Experiment experiment, int n, long seed, Path dir) {
        String label() {
            return experiment.name() + " n=" + n + " seed=" + seed;
        }
    }

    private final Config config;

    public Sweep(Config config) {
        this.config = config;
    }

    public static Path runDir(Path out, String experiment, int n, long seed) {
        return out.resolve("runs").resolve(experiment).resolve("n" + n + "-s" + seed);
    }

    /** Runs what is not finished yet; one progress line per run on {@code log}. */
    public Outcome run(PrintStream log) throws IOException {
        List<Run> runs = new ArrayList<>();
        for (String name : config.experiments()) {
            Experiment exp = Experiments.byName(name).forProfile(config.profile());
            for (int n : config.ns())
                for (long seed = 0; seed < config.seeds(); seed++)
                    runs.add(new Run(exp, n, seed, runDir(config.out(), name, n, seed)));
        }
        List<Run> pending = runs.stream().filter(r -> !RunStatus.isComplete(r.dir(), config.methods())).toList();
        int skipped = runs.size() - pending.size();
        if (skipped > 0) log.printf("%d of %d runs finished earlier, skipping them%n", skipped, runs.size());

        List<Path> executed = new ArrayList<>();
        double seconds = 0;
        for (Run r : pending) {
            long start = System.nanoTime();
            execute(r);
            seconds += (System.nanoTime() - start) * 1e-9;
            executed.add(r.dir());
            // the estimate assumes the remaining runs cost what this session's runs cost on average
            double left = seconds / executed.size() * (pending.size() - executed.size());
            log.printf("[%d/%d] %s done in %s; about %s left%n", skipped + executed.size(), runs.size(), r.label(),
                    duration((System.nanoTime() - start) * 1e-9), duration(left));
        }
        return new Outcome(runs.size(), executed, skipped);
    }

    private void execute(Run r) throws IOException {
        // an interrupted run may hold files of methods that are not redone; start it from scratch
        deleteRecursively(r.dir());
        SolveJob job = new SolveJob(new SolveJob.Config(r.experiment(), r.n(), r.seed(), config.methods(),
                CpuBackend.INSTANCE, config.profile(), config.trainingIterations(), 0, r.dir()));
        job.run(r.experiment().generate(r.n(), r.seed()), ProgressListener.NONE);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    static String duration(double seconds) {
        if (seconds < 60) return String.format(java.util.Locale.ROOT, "%.1f s", seconds);
        long s = Math.round(seconds);
        if (s < 3600) return s / 60 + " min " + s % 60 + " s";
        return s / 3600 + " h " + s % 3600 / 60 + " min";
    }
}
