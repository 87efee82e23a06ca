package dev.reparam.cli;

import dev.reparam.experiments.Experiments;
import dev.reparam.experiments.Methods;
import dev.reparam.experiments.Profile;
import dev.reparam.experiments.Sweep;
import dev.reparam.report.Report;
import dev.reparam.tensor.Parallel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code reparam reproduce}: the paper's sweep over experiments, n and seeds, resumable, then
 * Table 2 and the figures. {@code --report-only} only re-aggregates what is on disk.
 */
@Command(name = "reproduce", mixinStandardHelpOptions = true, description = "Run the paper's sweep (resumable) and write Table 2 and the figures.")
final class ReproduceCommand implements Callable<Integer> {
    @Option(names = "--experiments", split = ",", description = "comma-separated (default: all: ${COMPLETION-CANDIDATES})",
            completionCandidates = SolveCommand.ExperimentNames.class)
    List<String> experiments;

    @Option(names = "--n", split = ",", description = "problem counts (default: 2,4,...,256; 2,4,...,64 with --profile quick)")
    List<Integer> ns;

    @Option(names = "--seeds", description = "number of seeds, 0..k-1 (default: 4; 2 with --profile quick)")
    Integer seeds;

    @Option(names = "--methods", split = ",", description = "comma-separated (default: all: ${COMPLETION-CANDIDATES})",
            completionCandidates = SolveCommand.MethodNames.class)
    List<String> methods;

    @Option(names = "--profile", description = "quick or paper: the training budget (default ${DEFAULT-VALUE})", defaultValue = "paper")
    String profile;

    @Option(names = "--out", description = "sweep directory (default ${DEFAULT-VALUE})", defaultValue = "out/reproduce")
    Path out;

    @Option(names = "--threads", description = "CPU threads (default: all cores)", defaultValue = "0")
    int threads;

    @Option(names = "--report-only", description = "only aggregate the runs already in --out")
    boolean reportOnly;

    // for tests and quick looks; a reproduction uses the experiments' budgets
    @Option(names = "--iterations", hidden = true, defaultValue = "0")
    int iterations;

    @Override
    public Integer call() throws Exception {
        if (!reportOnly) {
            if (threads < 0) throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
            if (threads > 0) Parallel.setThreads(threads);
            // the quick profile is a first look that finishes in minutes: fewer n and seeds unless asked
            Profile p = Profile.parse(profile);
            boolean quick = p == Profile.QUICK;
            List<Integer> nList = ns != null ? ns : quick ? List.of(2, 4, 8, 16, 32, 64) : List.of(2, 4, 8, 16, 32, 64, 128, 256);
            int seedCount = seeds != null ? seeds : quick ? 2 : 4;
            Sweep sweep = new Sweep(new Sweep.Config(experiments != null ? experiments : Experiments.names(), nList, seedCount,
                    methods != null ? methods : Methods.names(), p, iterations, out));
            Sweep.Outcome o = sweep.run(System.err);
            System.out.printf("%d runs: %d executed, %d finished earlier%n", o.total(), o.executed().size(), o.skipped());
        }
        for (Path p : Report.write(out)) System.out.println("wrote " + p.toAbsolutePath().normalize());
        return 0;
    }
}
