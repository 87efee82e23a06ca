package dev.reparam.cli;

import dev.reparam.experiments.MethodSummary;

import java.util.Map;

/**
 * The short table {@code solve} prints: per method, the comparison with BFGS and the mean losses.
 * A diverged method gets its own line saying where; a non-finite mean prints as "—", never NaN.
 */
final class SummaryTable {
    private SummaryTable() {}

    static String format(String experiment, int n, long seed, Map<String, MethodSummary> results) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("%s, n = %d, seed = %d (better/equal/worse: refined loss against BFGS's)%n", experiment,
                n, seed));
        b.append(String.format("%-10s %7s %7s %7s %12s %12s %10s %9s%n",
                "method", "better", "equal", "worse", "mean loss", "refined", "iters", "wall s"));
        for (MethodSummary s : results.values()) {
            if (s.isDiverged()) {
                b.append(String.format("%-10s diverged at iteration %d (%s)%n", s.method(), s.divergence().iteration(),
                        s.divergence().reason()));
                continue;
            }
            b.append(String.format("%-10s %6.1f%% %6.1f%% %6.1f%% %12s %12s %10.1f %9.2f%n",
                    s.method(), 100 * s.refined().better(), 100 * s.refined().equal(), 100 * s.refined().worse(),
                    loss(s.meanLoss()), loss(s.meanLossRefined()), s.iterations(),
                    s.wallSeconds() + s.refineSeconds()));
            if (s.refined().undefined() > 0 || s.nonFiniteLossesRefined() > 0) {
                b.append(String.format("%-10s %d of %d problems end with a non-finite loss%n", "",
                        s.nonFiniteLossesRefined(), s.problems()));
            }
        }
        return b.toString();
    }

    private static String loss(double v) {
        return Double.isFinite(v) ? String.format("%.4e", v) : "—";
    }
}
