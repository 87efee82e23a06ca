package dev.reparam.bench;

import dev.reparam.cuda.CudaDriver;
import dev.reparam.experiments.Experiment;
import dev.reparam.experiments.Profile;
import dev.reparam.inverse.Bfgs;
import dev.reparam.inverse.NeuralAdjoint;
import dev.reparam.inverse.PlacedProblems;
import dev.reparam.inverse.Placement;
import dev.reparam.inverse.ProblemSet;
import dev.reparam.inverse.ProgressListener;
import dev.reparam.inverse.Reparameterized;
import dev.reparam.inverse.Supervised;
import dev.reparam.tensor.Backend;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The time of one full iteration of each method, measured on the methods' own code (not a copy
 * of their loops): each method runs as {@code solve} runs it, and the time between its progress
 * reports, divided by the iterations between them, is one sample. What an iteration is:
 * <ul>
 *   <li>reparam: network forward, the problems' loss and gradient, backward, Adam;</li>
 *   <li>supervised: the same on the training set against known parameters, plus the evaluation
 *       forward pass and loss of the problems that gives the method's curve;</li>
 *   <li>neural-adjoint: one training step of the surrogate (forward, MSE, backward, Adam);</li>
 *   <li>bfgs: one lockstep L-BFGS iteration of all problems still running (the time between
 *       consecutive iterations of whole solves, early iterations with every problem running,
 *       late ones with few).</li>
 * </ul>
 * The network methods report progress every few iterations (10 today), so a sample is the
 * mean over such a block; the first block, which includes building the model, is never timed.
 */
public final class MethodIterations {
    /** Methods in the order they are measured; the names are the methods' own. */
    public static final List<String> METHODS = List.of(Reparameterized.NAME, Supervised.NAME, NeuralAdjoint.NAME,
            Bfgs.NAME);

    static final long PROBLEM_SEED = 0, TRAINING_SET_SEED = 1, NETWORK_SEED = 0;

    /** Seconds per iteration of one method on one experiment at n problems. */
    public record Result(String experiment, String method, int n, Stats seconds) {}

    private MethodIterations() {}

    /**
     * Measures every method {@code wanted} accepts, at least {@code repeats} timed iterations
     * (network methods: rounded up to whole progress blocks) after {@code warmup} untimed ones.
     */
    public static List<Result> run(Experiment experiment, Profile profile, int n, Backend backend, int warmup,
            int repeats, Predicate<String> wanted, Consumer<String> progress) {
        Experiment exp = experiment.forProfile(profile);
        // placed as solve places them: the physics runs where the backend runs
        try (PlacedProblems problems = Placement.place(exp.generate(n, PROBLEM_SEED), backend)) {
            return run(exp, profile, problems, backend, warmup, repeats, wanted, progress);
        }
    }

    private static List<Result> run(Experiment exp, Profile profile, ProblemSet problems, Backend backend, int warmup,
                                    int repeats, Predicate<String> wanted, Consumer<String> progress) {
        int n = problems.size();
        ProblemSet trainingSet = null;
        Reparameterized.Options budget = exp.training(NETWORK_SEED, profile);
        // at least one warm-up and three timed blocks on a GPU; under the interpreter, whose times
        // say nothing about a GPU and whose iterations take a second, one of each (a sample is the
        // time between two progress reports)
        int minimumBlocks = CudaDriver.interpreted() ? 1 : 3;
        int warm = 10 * Math.max(1, (warmup + 9) / 10), timed = 10 * Math.max(minimumBlocks, (repeats + 9) / 10);
        Reparameterized.Options training = new Reparameterized.Options(warm + timed, budget.learningRate(),
                budget.maxGradNorm(), budget.seed());
        List<Result> out = new ArrayList<>();
        for (String method : METHODS) {
            if (!wanted.test(method)) continue;
            progress.accept(exp.name() + " " + method + " iterations");
            if (!method.equals(Reparameterized.NAME) && trainingSet == null) {
                trainingSet = exp.generate(n, TRAINING_SET_SEED);
            }
            Recorder r = new Recorder(method, !method.equals(Bfgs.NAME));
            switch (method) {
                case Reparameterized.NAME -> new Reparameterized(backend, exp.network(), training).solve(problems, r);
                case Supervised.NAME -> new Supervised(backend, exp.network(), training, trainingSet)
                        .solve(problems, r);
                // no search iterations: only the surrogate's training steps are timed
                case NeuralAdjoint.NAME -> new NeuralAdjoint(backend, exp::surrogateLayers, training, trainingSet,
                        new NeuralAdjoint.Search(1, 0, NeuralAdjoint.Search.DEFAULT.learningRate())).solve(problems, r);
                case Bfgs.NAME -> bfgs(exp, problems, backend, warmup, repeats, r);
                default -> throw new IllegalStateException(method);
            }
            double[] samples = r.samples(method.equals(Bfgs.NAME) ? 0 : warm);
            if (samples.length > 0) out.add(new Result(exp.name(), method, n, Stats.of(samples)));
        }
        return out;
    }

    /** Whole solves, one untimed when warming up, until {@code repeats} lockstep iterations are timed. */
    private static void bfgs(Experiment exp, ProblemSet problems, Backend backend, int warmup, int repeats,
            Recorder r) {
        Bfgs bfgs = new Bfgs(exp.lbfgs(), backend::lbfgsVectors);
        if (warmup > 0) bfgs.solve(problems, ProgressListener.NONE);
        for (int solve = 0; solve < Math.max(1, repeats) && r.intervals() < repeats; solve++) {
            r.newRun();
            bfgs.solve(problems, r);
        }
    }

    /** Time stamps of one phase's progress reports. */
    static final class Recorder implements ProgressListener {
        private final String phase;
        /** true: {@code done} counts iterations; false: every report is one iteration (BFGS's count problems). */
        private final boolean doneCountsIterations;
        private final List<long[]> marks = new ArrayList<>(); // {iteration, nanoTime, run}
        private long iteration, run;

        Recorder(String phase, boolean doneCountsIterations) {
            this.phase = phase;
            this.doneCountsIterations = doneCountsIterations;
        }

        @Override
        public void progress(String phase, long done, long total, String status) {
            if (!phase.equals(this.phase)) return;
            long now = System.nanoTime();
            iteration = doneCountsIterations ? done : iteration + 1;
            marks.add(new long[] {iteration, now, run});
        }

        /** Intervals between reports of separate runs are not samples. */
        void newRun() {
            run++;
            iteration = 0;
        }

        int intervals() {
            int k = 0;
            for (int i = 1; i < marks.size(); i++) if (marks.get(i)[2] == marks.get(i - 1)[2]) k++;
            return k;
        }

        /** Seconds per iteration of each interval between reports that starts at or after iteration {@code from}. */
        double[] samples(long from) {
            List<Double> s = new ArrayList<>();
            for (int i = 1; i < marks.size(); i++) {
                long[] a = marks.get(i - 1), b = marks.get(i);
                if (a[2] != b[2] || a[0] < from || b[0] <= a[0]) continue;
                s.add((b[1] - a[1]) * 1e-9 / (b[0] - a[0]));
            }
            return s.stream().mapToDouble(Double::doubleValue).toArray();
        }
    }
}
