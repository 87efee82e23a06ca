package dev.reparam.experiments;

import dev.reparam.inverse.Bfgs;
import dev.reparam.inverse.MethodResult;
import dev.reparam.inverse.ProblemSet;
import dev.reparam.inverse.ProblemSets;
import dev.reparam.inverse.ProgressListener;
import dev.reparam.inverse.Refinement;
import dev.reparam.inverse.Reparameterized;
import dev.reparam.io.ResultWriter;
import dev.reparam.tensor.Backend;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the requested methods on one problem set: BFGS first (it is the reference every other
 * method is compared with, so it always runs), then each network method followed by its BFGS
 * refinement. Every method's results are written the moment it finishes, so an interrupted run
 * keeps what it finished.
 */
public final class SolveJob {
    /** What to run. {@code trainingIterations} overrides the experiment's budget when > 0. */
    public record Config(Experiment experiment, int n, long seed, List<String> methods, Backend backend,
                         Profile profile, int trainingIterations, double learningRate, Path out) {
        public Config {
            if (n < 1) throw new IllegalArgumentException("--n must be >= 1, got " + n);
            if (methods.isEmpty()) throw new IllegalArgumentException("--methods: give at least one method");
            methods.forEach(Methods::requireKnown);
        }
    }

    private final Config config;

    public SolveJob(Config config) {
        this.config = config;
    }

    /** The network seed is derived from the run seed so problems and initialisation never share a stream. */
    static long networkSeed(long seed) {
        return seed * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
    }

    public Map<String, MethodSummary> run(ProblemSet problems, ProgressListener progress) throws IOException {
        ProblemSets.validate(problems);
        Experiment exp = config.experiment();
        Reparameterized.Options training = exp.training(networkSeed(config.seed()), config.profile());
        if (config.trainingIterations() > 0 || config.learningRate() > 0) {
            training = new Reparameterized.Options(
                    config.trainingIterations() > 0 ? config.trainingIterations() : training.iterations(),
                    config.learningRate() > 0 ? config.learningRate() : training.learningRate(),
                    training.maxGradNorm(), training.seed());
        }
        ResultWriter writer = new ResultWriter(config.out());
        writer.writeProblems(problems);

        Bfgs bfgs = new Bfgs(exp.lbfgs());
        Map<String, MethodSummary> summaries = new LinkedHashMap<>();
        MethodResult reference = bfgs.solve(problems, progress);
        record(writer, problems, reference, reference, training.iterations(), summaries);

        Refinement refinement = new Refinement(bfgs);
        for (String m : config.methods()) {
            if (m.equals(Bfgs.NAME)) continue;
            MethodResult r = Methods.network(m).solve(exp, problems, config.backend(), training, progress);
            r = refinement.refine(problems, r, progress);
            record(writer, problems, r, reference, training.iterations(), summaries);
        }
        return summaries;
    }

    private void record(ResultWriter writer, ProblemSet problems, MethodResult r, MethodResult reference,
                        int trainingIterations, Map<String, MethodSummary> summaries) throws IOException {
        summaries.put(r.method(), MethodSummary.of(r, reference, trainingIterations, problems.trueParameters()));
        writer.writeMethod(r, problems.dim());
        writer.writeSummary(runInfo(problems), summaries);
    }

    private Map<String, Object> runInfo(ProblemSet problems) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("experiment", config.experiment().name());
        info.put("n", problems.size());
        info.put("seed", config.seed());
        info.put("backend", config.backend().name());
        info.put("dtype", config.backend().dtypeName());
        info.put("threads", dev.reparam.tensor.Parallel.threads());
        info.put("version", dev.reparam.cli.Version.get());
        return info;
    }
}
