package dev.reparam.inverse;

import org.apache.commons.math3.stat.StatUtils;

/**
 * Answers to n problems: the unconstrained variables z, the parameters xi, their losses, and,
 * where an iterative optimiser produced them, its per-problem iterations, evaluations and stop
 * reason (null for a network's direct output).
 */
public record Solution(double[] z, double[] xi, double[] loss, int[] iterations, int[] evaluations,
        String[] stopReasons) {
    public double meanLoss() {
        return StatUtils.mean(loss);
    }

    public double meanIterations() {
        if (iterations == null) return Double.NaN;
        double s = 0;
        for (int i : iterations) s += i;
        return s / iterations.length;
    }
}
