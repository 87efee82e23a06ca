package dev.reparam.cli;

import com.sun.management.OperatingSystemMXBean;
import dev.reparam.experiments.Experiment;
import dev.reparam.experiments.Profile;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Refuses, before anything is allocated, a request whose data cannot fit this JVM's heap, with
 * one line saying what it needs and what there is. Without it, --n 100000000 ends in a
 * NegativeArraySizeException (an int overflowing) and --n 5000000 in a heap exhaustion minutes
 * in. The need is the experiment's measured peak heap per problem ({@link Experiment#bytesPerProblem})
 * times n, plus a fixed allowance for the JVM and the code.
 */
final class MemoryEstimate {
    /** Classes, the CLI, plotting and the JVM's own heap use before any problem exists. */
    static final long BASE_BYTES = 64L << 20;

    private MemoryEstimate() {}

    /** The heap this JVM may still take: its maximum minus what is in use now. */
    static long available() {
        Runtime r = Runtime.getRuntime();
        return r.maxMemory() - (r.totalMemory() - r.freeMemory());
    }

    static long need(Experiment exp, Profile profile, int n) {
        return BASE_BYTES + (long) n * exp.bytesPerProblem(profile);
    }

    /** The estimate covers every method (their peaks are alike), so which ones run does not matter. */
    static void requireFits(Experiment exp, Profile profile, int n) {
        long need = need(exp, profile, n), may = available();
        if (need > may) {
            throw new IllegalArgumentException("--n " + n + " (" + exp.name() + ", profile "
                    + profile.name().toLowerCase(Locale.ROOT)
                    + ") needs about " + gib(need) + " of memory; this JVM may use " + gib(may) + ": "
                    + advice("--n", need));
        }
    }

    /** For a bare element count (bench --size): {@code buffers} float64 buffers of that many elements. */
    static void requireFitsElements(String option, long elements, int buffers) {
        long need = BASE_BYTES + elements * Double.BYTES * buffers, may = available();
        if (need > may) {
            throw new IllegalArgumentException(option + " " + elements + " needs about " + gib(need)
                    + " of memory; this JVM may use " + gib(may) + ": " + advice(option, need));
        }
    }

    /** A larger heap helps only up to the machine's memory; beyond it the request itself must shrink. */
    private static String advice(String option, long need) {
        long physical = physicalMemory();
        if (physical > 0 && need > physical) return "lower " + option + " (this machine has " + gib(physical) + ")";
        return "lower " + option + " or raise the heap limit (java -Xmx" + Math.max(1, (need >> 30) + 1)
                + "g -jar ...)";
    }

    private static long physicalMemory() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os
                ? os.getTotalMemorySize() : -1;
    }

    static String gib(long bytes) {
        double g = bytes / (double) (1L << 30);
        if (g >= 10) return String.format(Locale.ROOT, "%.0f GB", g);
        if (g >= 0.1) return String.format(Locale.ROOT, "%.1f GB", g);
        return String.format(Locale.ROOT, "%.0f MB", bytes / (double) (1L << 20));
    }
}
