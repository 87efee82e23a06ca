package dev.reparam.experiments;

import dev.reparam.inverse.Comparison;
import dev.reparam.inverse.MethodResult;
import dev.reparam.inverse.Solution;

/**
 * The numbers summary.json reports for one method: shares better / equal / worse than BFGS
 * (refined, and unrefined), mean losses, mean iterations and evaluations, wall times, and the
 * mean absolute parameter error where the true parameters are known.
 */
public record MethodSummary(String method, double better, double equal, double worse,
                            double unrefinedBetter, double unrefinedEqual, double unrefinedWorse,
                            double meanLoss, double meanLossRefined, double iterations, double refineIterations,
                            double meanEvaluations, double wallSeconds, double refineSeconds,
                            Double meanParameterError, Double meanParameterErrorRefined) {

    static MethodSummary of(MethodResult r, MethodResult bfgs, int trainingIterations, double[] truth) {
        Comparison refined = Comparison.of(r.best().loss(), bfgs.unrefined().loss());
        Comparison unrefined = Comparison.of(r.unrefined().loss(), bfgs.unrefined().loss());
        Solution fin = r.best();
        boolean network = r.refined() != null;
        return new MethodSummary(r.method(), refined.better(), refined.equal(), refined.worse(),
                unrefined.better(), unrefined.equal(), unrefined.worse(),
                r.unrefined().meanLoss(), fin.meanLoss(),
                network ? trainingIterations : r.unrefined().meanIterations(),
                network ? r.refined().meanIterations() : 0,
                meanOf(fin.evaluations()), r.seconds(), r.refineSeconds(),
                truth == null ? null : meanAbsError(r.unrefined().xi(), truth),
                truth == null ? null : meanAbsError(fin.xi(), truth));
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
