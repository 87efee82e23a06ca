package dev.reparam.cli;

import dev.reparam.bench.Bench;
import dev.reparam.bench.BenchJson;
import dev.reparam.bench.BenchReport;
import dev.reparam.bench.BenchTable;
import dev.reparam.cuda.Backends;
import dev.reparam.cuda.CudaDtype;
import dev.reparam.experiments.Experiments;
import dev.reparam.experiments.Profile;
import dev.reparam.inverse.ProgressListener;
import dev.reparam.io.Errors;
import dev.reparam.io.Version;
import dev.reparam.tensor.Backend;
import dev.reparam.tensor.Parallel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code reparam bench}: times every backend kernel at the wave-packet network's shapes and a full
 * iteration of each method, beside the device's measured copy bandwidth and peak rate
 * (docs/bench.md). A table on stdout, or {@code --json} for machines.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time every kernel and a full iteration of each method against the device's measured copy "
                + "bandwidth and peak.")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--backend", description = "auto, cpu or cuda (default ${DEFAULT-VALUE})", defaultValue = "auto")
    String backend;

    @Option(names = "--dtype",
            description = "float64 or float32; float32 needs the CUDA backend (default ${DEFAULT-VALUE})",
            defaultValue = "float64")
    String dtype;

    @Option(names = "--n",
            description = "problems: kernel shapes are the wave-packet network's for n (default ${DEFAULT-VALUE})",
            defaultValue = "64")
    int n;

    @Option(names = "--size",
            description = "elements of the elementwise, activation, reduction and copy kernels (default: the network's "
            + "largest activation)")
    Integer size;

    @Option(names = "--repeats",
            description = "timed runs per kernel; timed iterations per method (default 50, 10 with --quick)")
    Integer repeats;

    @Option(names = "--warmup", description = "untimed runs first (default 10, 2 with --quick)")
    Integer warmup;

    @Option(names = "--allow-cpu-fallback",
            description = "with --backend auto --dtype float32: time float64 on the CPU "
            + "when CUDA is unavailable (refused otherwise)")
    boolean allowCpuFallback;

    @Option(names = "--filter",
            description = "only kernels and methods whose name contains this, e.g. conv or reparam", defaultValue = "")
    String filter;

    @Option(names = "--experiments", split = ",",
            description = "experiments whose method iterations are timed (default ${DEFAULT-VALUE}; none: "
            + "--experiments '')",
            defaultValue = "wavepacket", completionCandidates = SolveCommand.ExperimentNames.class)
    List<String> experiments;

    @Option(names = "--profile",
            description = "quick or paper: the physics of experiments that have a quick version (default "
            + "${DEFAULT-VALUE})", defaultValue = "quick")
    String profile;

    @Option(names = "--quick", description = "fewer runs and smaller reference measurements: a first look in seconds")
    boolean quick;

    @Option(names = "--json", description = "write JSON (stable field names, docs/bench.md) instead of the table")
    boolean json;

    @Option(names = "--out", description = "write the output to this file instead of stdout")
    Path out;

    @Option(names = "--threads", description = "CPU threads (default: all cores)")
    Integer threads;

    @Option(names = "--quiet", description = "no progress on stderr")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        int threadCount = OptionChecks.threads("--threads", threads);
        if (n < 1) throw new IllegalArgumentException("--n must be >= 1, got " + n);
        if (size != null && size < 1) throw new IllegalArgumentException("--size must be >= 1, got " + size);
        int repeatCount = OptionChecks.atLeastOne("--repeats", repeats, quick ? 10 : 50);
        if (warmup != null && warmup < 0) throw new IllegalArgumentException("--warmup must be >= 0, got " + warmup);
        OptionChecks.nonEmptyPath("--out", out);
        if (out != null && Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + ": is a directory (give a file name)");
        }
        if (out != null && out.toAbsolutePath().getParent() != null
                && !Files.isDirectory(out.toAbsolutePath().getParent())) {
            throw new IllegalArgumentException("--out " + out + ": directory " + out.toAbsolutePath().getParent()
                    + " does not exist");
        }
        List<String> exps = OptionChecks.distinct("--experiments",
                experiments.stream().map(String::strip).filter(s -> !s.isEmpty()).map(e -> Experiments.byName(e).name())
                .toList());
        Profile p = Profile.parse(profile);
        // the kernels are the wave-packet network's at n; each timed experiment holds its own n problems
        MemoryEstimate.requireFits(Experiments.byName("wavepacket"), p, n);
        for (String e : exps) MemoryEstimate.requireFits(Experiments.byName(e).forProfile(p), p, n);
        if (size != null) MemoryEstimate.requireFitsElements("--size", size, 4);
        Bench.Config config = new Bench.Config(n, size == null ? 0 : size, warmup != null ? warmup : quick ? 2 : 10,
                repeatCount, filter, exps, p, quick);
        Backends.Choice choice = Backends.parseChoice(backend);
        CudaDtype type = Backends.parseDtype(dtype);
        if (threadCount > 0) Parallel.setThreads(threadCount);
        BenchReport report;
        try (Backend be = Backends.open(choice, type, allowCpuFallback, true,
                quiet ? notice -> { } : System.err::println);
             ConsoleProgress bar = new ConsoleProgress()) {
            report = Bench.run(be, be.dtypeName(), config, Version.get(), quiet ? ProgressListener.NONE : bar);
        }
        String text = json ? BenchJson.format(report) : BenchTable.format(report);
        if (out == null) {
            System.out.print(text);
        } else {
            // beside and renamed: a failed write never leaves a truncated report in place of a good one
            Path tmp = out.resolveSibling("." + out.getFileName() + ".tmp");
            try {
                Files.writeString(tmp, text, StandardCharsets.UTF_8);
                Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new IOException("--out " + out + ": cannot write: " + Errors.reason(e), e);
            } finally {
                Files.deleteIfExists(tmp);
            }
            if (!quiet) System.err.println("reparam: bench results written to " + out.toAbsolutePath().normalize());
        }
        return 0;
    }
}
