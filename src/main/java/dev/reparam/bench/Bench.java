package dev.reparam.bench;

import dev.reparam.experiments.Experiment;
import dev.reparam.experiments.Experiments;
import dev.reparam.experiments.Profile;
import dev.reparam.inverse.ProgressListener;
import dev.reparam.tensor.Backend;
import dev.reparam.tensor.Parallel;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * {@code reparam bench}'s engine: the device's ceilings, then every kernel, then a full
 * iteration of each method per experiment, on one backend.
 */
public final class Bench {
    /**
     * @param n           problems: the shapes of the kernels and the size of the iterations
     * @param size        elementwise size override (0: from the network)
     * @param filter      only kernels and methods whose name contains this ("" for all)
     * @param experiments experiments whose method iterations are measured
     * @param quick       smaller reference measurements
     */
    public record Config(int n, int size, int warmup, int repeats, String filter, List<String> experiments,
            Profile profile, boolean quick) {
        public Config {
            if (n < 1) throw new IllegalArgumentException("--n must be >= 1, got " + n);
            if (size < 0) throw new IllegalArgumentException("--size must be >= 1, got " + size);
            if (warmup < 0) throw new IllegalArgumentException("--warmup must be >= 0, got " + warmup);
            if (repeats < 1) throw new IllegalArgumentException("--repeats must be >= 1, got " + repeats);
            experiments = List.copyOf(experiments);
            for (String e : experiments) Experiments.byName(e); // unknown names fail here, before any work
        }
    }

    private Bench() {}

    /** {@code version} and {@code dtype} are only recorded in the report. */
    public static BenchReport run(Backend backend, String dtype, Config c, String version, ProgressListener progress) {
        Predicate<String> wanted = name -> name.contains(c.filter());
        int elementBytes = backend.elementBytes();
        TensorSource src = new TensorSource(backend, 42);
        List<KernelCases.Case> cases = KernelCases.forWavePacket(src, elementBytes, c.n(), c.size()).stream()
                .filter(k -> wanted.test(k.op())).toList();
        boolean anyMethod = MethodIterations.METHODS.stream().anyMatch(wanted);
        if (cases.isEmpty() && (!anyMethod || c.experiments().isEmpty())) {
            throw new IllegalArgumentException("--filter '" + c.filter() + "' matches no kernel or method");
        }
        try (OpTimer timer = BenchDevice.timerFor(backend)) {
            progress.progress("device ceilings", 0, 1, "copy bandwidth and peak");
            DeviceReference ref = BenchDevice.ceilingsFor(backend, c.quick());
            progress.progress("device ceilings", 1, 1, "done");
            List<KernelBench.Result> kernels = new ArrayList<>();
            for (int i = 0; i < cases.size(); i++) {
                progress.progress("kernels", i, cases.size(), cases.get(i).op());
                kernels.add(KernelBench.run(cases.get(i), timer, src, c.warmup(), c.repeats(), ref));
            }
            if (!cases.isEmpty()) progress.progress("kernels", cases.size(), cases.size(), "done");
            List<MethodIterations.Result> iterations = new ArrayList<>();
            if (anyMethod && !c.experiments().isEmpty()) {
                for (int i = 0; i < c.experiments().size(); i++) {
                    Experiment exp = Experiments.byName(c.experiments().get(i));
                    int done = i;
                    iterations.addAll(MethodIterations.run(exp, c.profile(), c.n(), backend, c.warmup(), c.repeats(),
                            wanted, what -> progress.progress("iterations", done, c.experiments().size(), what)));
                }
                progress.progress("iterations", c.experiments().size(), c.experiments().size(), "done");
            }
            return new BenchReport(version, backend.name(), dtype, Parallel.threads(), c.n(), c.size(), c.warmup(),
                    c.repeats(), timer.method(), ref, kernels, iterations);
        }
    }
}
