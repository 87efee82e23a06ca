package dev.reparam.cli;

import dev.reparam.experiments.Experiments;
import dev.reparam.experiments.Methods;
import dev.reparam.experiments.Profile;
import dev.reparam.experiments.Shard;
import dev.reparam.experiments.Sweep;
import dev.reparam.io.DirectoryLock;
import dev.reparam.parallel.Communicator;
import dev.reparam.parallel.Communicators;
import dev.reparam.report.Report;
import dev.reparam.tensor.Parallel;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code reparam reproduce}: the paper's sweep over experiments, n and seeds, resumable, then
 * Table 2 and the figures. {@code --report-only} only re-aggregates what is on disk. One sweep
 * at a time per {@code --out}: a second process is refused (DirectoryLock).
 */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        description = "Run the paper's sweep (resumable) and write Table 2 and the figures.")
final class ReproduceCommand implements Callable<Integer> {
    @Option(names = "--experiments", split = ",",
            description = "comma-separated (default: all: ${COMPLETION-CANDIDATES})",
            completionCandidates = SolveCommand.ExperimentNames.class)
    List<String> experiments;

    @Option(names = "--n", split = ",",
            description = "problem counts (default: 2,4,...,256; 2,4,...,64 with --profile quick)")
    List<Integer> ns;

    @Option(names = "--seeds", description = "number of seeds, 0..k-1 (default: 4; 2 with --profile quick)")
    Integer seeds;

    @Option(names = "--methods", split = ",", description = "comma-separated (default: all: ${COMPLETION-CANDIDATES})",
            completionCandidates = SolveCommand.MethodNames.class)
    List<String> methods;

    @Option(names = "--profile", description = "quick or paper: the training budget (default ${DEFAULT-VALUE})",
            defaultValue = "paper")
    String profile;

    @Option(names = "--out", description = "sweep directory (default ${DEFAULT-VALUE})", defaultValue = "out/reproduce")
    Path out;

    @Option(names = "--threads", description = "CPU threads (default: all cores)")
    Integer threads;

    @Option(names = "--shard", description = "I/K: run only the I-th of K disjoint parts of the sweep, balanced by "
            + "estimated cost, into the shared --out (one job of a job array); no tables are written: run "
            + "--report-only when every shard has finished (default: the whole sweep)")
    String shard;

    @Option(names = "--report-only", description = "only aggregate the runs already in --out")
    boolean reportOnly;

    @Option(names = "--tie-tolerance", description = "relative tolerance under which a method's loss counts as "
            + "equal to BFGS's in the tables: |L - L_BFGS| <= tol max(L, L_BFGS) + 1e-12 (default 1e-5); the runs "
            + "are not redone, the shares are recounted from their losses")
    Double tieTolerance;

    // for tests and quick looks; a reproduction uses the experiments' budgets
    @Option(names = "--iterations", hidden = true)
    Integer iterations;

    private double tolerance;

    @Override
    @SuppressWarnings("try") // the lock is held for the sweep's duration, never read
    public Integer call() throws Exception {
        OptionChecks.nonEmptyPath("--out", out);
        tolerance = OptionChecks.tieTolerance("--tie-tolerance", tieTolerance);
        if (reportOnly && shard != null) {
            throw new IllegalArgumentException("--shard: a report reads every shard's runs; give --report-only "
                    + "without --shard");
        }
        // under mpirun every run is one data-parallel solve over all ranks; rank 0 alone writes and prints
        Communicator world = Communicators.world();
        if (!reportOnly) {
            int threadCount = OptionChecks.threadsPerRank(OptionChecks.threads("--threads", threads));
            int trainingIterations = OptionChecks.atLeastOne("--iterations", iterations, 0);
            // the quick profile is a first look that finishes in minutes: fewer n and seeds unless asked
            Profile p = Profile.parse(profile);
            boolean quick = p == Profile.QUICK;
            List<Integer> nList = ns != null ? ns : quick ? List.of(2, 4, 8, 16, 32, 64)
                    : List.of(2, 4, 8, 16, 32, 64, 128, 256);
            int seedCount = OptionChecks.atLeastOne("--seeds", seeds, quick ? 2 : 4);
            Shard part = shard != null ? Shard.parse(shard) : Shard.ALL;
            Sweep.Config config = new Sweep.Config(experiments != null ? experiments : Experiments.names(), nList,
                    seedCount, methods != null ? methods : Methods.names(), p, trainingIterations, out, part);
            int largestN = nList.stream().max(Integer::compare).orElseThrow();
            for (String e : config.experiments()) MemoryEstimate.requireFits(Experiments.byName(e).forProfile(p), p,
                    largestN);
            if (threadCount > 0) Parallel.setThreads(threadCount);
            try (DirectoryLock lock = !world.isRoot() ? null : part.isWhole() ? DirectoryLock.acquire(out, "--out")
                    : DirectoryLock.acquireShard(out, "--out", part.index(), part.count())) {
                Sweep.Outcome o = new Sweep(config, world).run(world.isRoot() ? System.err
                        : new PrintStream(OutputStream.nullOutputStream()));
                if (!world.isRoot()) return 0;
                System.out.printf("%d runs: %d executed, %d finished earlier%n", o.total(), o.executed().size(),
                        o.skipped());
                if (part.isWhole()) return report();
            }
            // K shards finish in any order: a report now would race the others' and show a part of the sweep
            System.out.printf("shard %s finished; when every shard has, write the tables with: reparam reproduce "
                    + "--report-only --out %s%n", part, out);
            return 0;
        }
        return world.isRoot() ? report() : 0;
    }

    /** Writes what validates; each run left out gets one line, and the exit code says that some were. */
    private int report() throws IOException {
        Report.Written w = Report.write(out, tolerance);
        for (Path p : w.files()) System.out.println("wrote " + p.toAbsolutePath().normalize());
        for (String s : w.skipped()) System.err.println("reparam: skipped " + s);
        if (w.skipped().isEmpty()) return 0;
        System.err.println("reparam: " + w.skipped().size() + " run(s) left out of the report (listed above)");
        return Main.EXIT_PARTIAL;
    }
}
