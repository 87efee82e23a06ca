package dev.reparam.experiments;

import dev.reparam.inverse.Bfgs;
import dev.reparam.inverse.NeuralAdjoint;
import dev.reparam.inverse.ProblemSet;
import dev.reparam.inverse.Reparameterized;
import dev.reparam.inverse.Supervised;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The methods by name: BFGS (the reference) and the network methods, each refined by BFGS. */
public final class Methods {
    private static final Map<String, NetworkMethod> NETWORK = new LinkedHashMap<>();

    static {
        NETWORK.put(Reparameterized.NAME, (exp, problems, backend, training, progress) ->
                new Reparameterized(backend, exp.network(), training).solve(problems, progress));
        NETWORK.put(Supervised.NAME, (exp, problems, backend, training, progress) ->
                new Supervised(backend, exp.network(), training, trainingSet(exp, problems, training))
                        .solve(problems, progress));
        NETWORK.put(NeuralAdjoint.NAME, (exp, problems, backend, training, progress) ->
                new NeuralAdjoint(backend, exp::surrogateLayers, training, trainingSet(exp, problems, training))
                        .solve(problems, progress));
    }

    private Methods() {}

    /**
     * The training set of supervised training and the neural adjoint (the same one, as in the
     * paper): n problems from the experiment's prior, as many as are solved.
     */
    static ProblemSet trainingSet(Experiment exp, ProblemSet problems, Reparameterized.Options training) {
        return trainingSet(exp, problems.size(), training);
    }

    /** The training set of a run over {@code n} problems. */
    static ProblemSet trainingSet(Experiment exp, int n, Reparameterized.Options training) {
        return exp.generate(n, trainingSetSeed(training.seed()));
    }

    /** Rows [start, end) of that training set: an MPI rank's part, generated alone. */
    static ProblemSet trainingSetPart(Experiment exp, int n, Reparameterized.Options training, int start, int end) {
        return exp.generatePart(n, trainingSetSeed(training.seed()), start, end);
    }

    /**
     * Fixed mix of the network seed, so the training set never shares a stream with the problems or the initialisation.
     */
    static long trainingSetSeed(long networkSeed) {
        return networkSeed * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
    }

    public static List<String> names() {
        List<String> all = new ArrayList<>();
        all.add(Bfgs.NAME);
        all.addAll(NETWORK.keySet());
        return all;
    }

    /** The network method of that name; BFGS is not one (it is run by {@link SolveJob} itself). */
    public static NetworkMethod network(String name) {
        NetworkMethod m = NETWORK.get(name);
        if (m == null) {
            throw new IllegalArgumentException("unknown method '" + name + "'; known: " + String.join(", ", names()));
        }
        return m;
    }

    public static void requireKnown(String name) {
        if (!name.equals(Bfgs.NAME)) network(name);
    }
}
