package dev.reparam.bench;

import java.util.Arrays;

/**
 * Order statistics of repeated timings, in seconds. The median is what the table and the rates
 * use: it ignores the runs another process on the machine disturbed, which the mean would not.
 * Percentiles by the nearest-rank rule on the sorted samples.
 */
public record Stats(int samples, double median, double min, double p10, double p90) {
    public static Stats of(double[] seconds) {
        if (seconds.length == 0) throw new IllegalArgumentException("no samples");
        double[] s = seconds.clone();
        Arrays.sort(s);
        int n = s.length;
        double median = n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
        return new Stats(n, median, s[0], rank(s, 0.10), rank(s, 0.90));
    }

    private static double rank(double[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
