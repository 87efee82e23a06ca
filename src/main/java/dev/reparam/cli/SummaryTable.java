package dev.reparam.cli;

import dev.reparam.experiments.MethodSummary;

import java.util.Map;

/** The short table {@code solve} prints: per method, the comparison with BFGS and the mean losses. */
final class SummaryTable {
    private SummaryTable() {}

    static String format(String experiment, int n, long seed, Map<String, MethodSummary> results) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("%s, n = %d, seed = %d (better/equal/worse: refined loss against BFGS's)%n", experiment, n, seed));
        b.append(String.format("%-10s %7s %7s %7s %12s %12s %10s %9s%n",
                "method", "better", "equal", "worse", "mean loss", "refined", "iters", "wall s"));
        for (MethodSummary s : results.values()) {
            b.append(String.format("%-10s %6.1f%% %6.1f%% %6.1f%% %12.4e %12.4e %10.1f %9.2f%n",
                    s.method(), 100 * s.better(), 100 * s.equal(), 100 * s.worse(),
                    s.meanLoss(), s.meanLossRefined(), s.iterations(), s.wallSeconds() + s.refineSeconds()));
        }
        return b.toString();
    }
}
