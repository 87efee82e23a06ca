package dev.reparam.experiments;

import dev.reparam.inverse.Comparison;
import dev.reparam.inverse.MethodResult;
import dev.reparam.inverse.Solution;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The numbers summary.json reports for one method: shares better / equal / worse than BFGS
 * (refined, and unrefined; {@code undefined} where both losses are non-finite), mean losses,
 * mean iterations and evaluations, wall times, and the mean absolute parameter error where the
 * true parameters are known. A method whose training diverged has no numbers, only
 * {@link #divergence()}; its comparison is undefined on every problem.
 */
public record MethodSummary(String method, Divergence divergence, Comparison refined, Comparison unrefined,
                            double meanLoss, double meanLossRefined, double iterations, double refineIterations,
                            double meanEvaluations, double wallSeconds, double refineSeconds,
                            Double meanParameterError, Double meanParameterErrorRefined,
                            int problems, int nonFiniteLosses, int nonFiniteLossesRefined) {

    /** Training met a non-finite loss or gradient at {@code iteration} (1-based); {@code reason} says what. */
    public record Divergence(int iteration, String reason) {}

    private static final Comparison NONE = new Comparison(0, 0, 0, 1);

    static MethodSummary of(MethodResult r, MethodResult bfgs, int trainingIterations, double[] truth) {
        Comparison refined = Comparison.of(r.best().loss(), bfgs.unrefined().loss());
        Comparison unrefined = Comparison.of(r.unrefined().loss(), bfgs.unrefined().loss());
        Solution fin = r.best();
        boolean network = r.refined() != null;
        return new MethodSummary(r.method(), null, refined, unrefined,
                r.unrefined().meanLoss(), fin.meanLoss(),
                network ? trainingIterations : r.unrefined().meanIterations(),
                network ? r.refined().meanIterations() : 0,
                meanOf(fin.evaluations()), r.seconds(), r.refineSeconds(),
                truth == null ? null : meanAbsError(r.unrefined().xi(), truth),
                truth == null ? null : meanAbsError(fin.xi(), truth),
                fin.loss().length, nonFiniteCount(r.unrefined().loss()), nonFiniteCount(fin.loss()));
    }

    static MethodSummary diverged(String method, Divergence divergence, double seconds, int problems) {
        return new MethodSummary(method, divergence, NONE, NONE, Double.NaN, Double.NaN, divergence.iteration(), 0,
                Double.NaN, seconds, 0, null, null, problems, problems, problems);
    }

    public boolean isDiverged() {
        return divergence != null;
    }

    /**
     * The summary.json entry. JSON has no NaN or infinity: a non-finite number is written as
     * null, and {@code nonFinite} says why for each such field.
     */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, String> why = new LinkedHashMap<>();
        m.put("status", isDiverged() ? "diverged" : "finished");
        if (isDiverged()) {
            m.put("divergedAt", divergence.iteration());
            m.put("reason", divergence.reason());
        }
        shares(m, "", refined);
        shares(m, "unrefined", unrefined);
        number(m, why, "meanLoss", meanLoss, nonFiniteLosses);
        number(m, why, "meanLossRefined", meanLossRefined, nonFiniteLossesRefined);
        number(m, why, "iterations", iterations, 0);
        number(m, why, "refineIterations", refineIterations, 0);
        number(m, why, "meanEvaluations", meanEvaluations, 0);
        number(m, why, "wallSeconds", wallSeconds, 0);
        number(m, why, "refineSeconds", refineSeconds, 0);
        if (meanParameterError != null) number(m, why, "meanParameterError", meanParameterError, 0);
        if (meanParameterErrorRefined != null) {
            number(m, why, "meanParameterErrorRefined", meanParameterErrorRefined, 0);
        }
        if (!why.isEmpty()) m.put("nonFinite", why);
        return m;
    }

    private static void shares(Map<String, Object> m, String prefix, Comparison c) {
        m.put(prefix.isEmpty() ? "better" : prefix + "Better", c.better());
        m.put(prefix.isEmpty() ? "equal" : prefix + "Equal", c.equal());
        m.put(prefix.isEmpty() ? "worse" : prefix + "Worse", c.worse());
        m.put(prefix.isEmpty() ? "undefined" : prefix + "Undefined", c.undefined());
    }

    private void number(Map<String, Object> m, Map<String, String> why, String key, double v, int nonFinite) {
        if (Double.isFinite(v)) {
            m.put(key, v);
            return;
        }
        m.put(key, null);
        if (isDiverged()) why.put(key, "training diverged");
        else if (nonFinite > 0) why.put(key, nonFinite + " of " + problems + " problems have a non-finite loss");
        else why.put(key, "not a finite number");
    }

    private static int nonFiniteCount(double[] v) {
        int k = 0;
        for (double x : v) if (!Double.isFinite(x)) k++;
        return k;
    }

    private static double meanOf(int[] v) {
        if (v == null) return Double.NaN;
        double s = 0;
        for (int x : v) s += x;
        return s / v.length;
    }

    private static double meanAbsError(double[] xi, double[] truth) {
        double s = 0;
        for (int i = 0; i < xi.length; i++) s += Math.abs(xi[i] - truth[i]);
        return s / xi.length;
    }
}
