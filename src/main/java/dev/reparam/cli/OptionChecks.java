package dev.reparam.cli;

import dev.reparam.inverse.Comparison;
import dev.reparam.parallel.Communicators;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Range checks of numeric and list options, each failing with one line that names the option.
 * Options whose default means "the experiment's" are boxed and null when not given, so an
 * explicit 0 or -5 is refused instead of silently meaning "default".
 */
final class OptionChecks {
    private OptionChecks() {}

    /** {@code value}, or {@code fallback} when the option was not given; refused unless >= 1. */
    static int atLeastOne(String option, Integer value, int fallback) {
        if (value == null) return fallback;
        if (value < 1) throw new IllegalArgumentException(option + " must be >= 1, got " + value);
        return value;
    }

    /** {@code --threads}: 0 (all cores) when not given, else 1 to 1024. */
    static int threads(String option, Integer value) {
        if (value == null) return 0;
        if (value < 1 || value > MAX_THREADS) {
            throw new IllegalArgumentException(option + " must be between 1 and " + MAX_THREADS + ", got " + value);
        }
        return value;
    }

    private static final int MAX_THREADS = 1024;

    /**
     * {@code --threads} as given (0: not given), except that ranks sharing a node share its cores:
     * without {@code --threads}, each of an MPI run's ranks on a node takes cores / ranks there.
     */
    static int threadsPerRank(int threads) {
        int localRanks = Communicators.localSize(System.getenv());
        if (threads == 0 && localRanks > 1) return Math.max(1, Runtime.getRuntime().availableProcessors() / localRanks);
        return threads;
    }

    /** A positive finite number, or {@code fallback} when not given (NaN and Infinity are refused). */
    static double positiveFinite(String option, Double value, double fallback) {
        if (value == null) return fallback;
        if (!Double.isFinite(value) || value <= 0) {
            throw new IllegalArgumentException(option + " must be a positive finite number, got " + value);
        }
        return value;
    }

    /** A relative tie tolerance in [0, 1), or {@link Comparison#DEFAULT_TIE_TOLERANCE} when not given. */
    static double tieTolerance(String option, Double value) {
        if (value == null) return Comparison.DEFAULT_TIE_TOLERANCE;
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(option + " must be a number in [0, 1), got " + value);
        }
        return value;
    }

    /** Refuses a list that names an entry twice: running a method or a run twice is never meant. */
    static <T> List<T> distinct(String option, List<T> values) {
        Set<T> seen = new HashSet<>();
        for (T v : values) {
            if (!seen.add(v)) throw new IllegalArgumentException(option + ": '" + v + "' is listed twice");
        }
        return values;
    }

    /** An output path that names something: '' would silently mean the current directory. */
    static Path nonEmptyPath(String option, Path path) {
        if (path != null && path.toString().isBlank()) {
            throw new IllegalArgumentException(option + ": empty path (give a directory name)");
        }
        return path;
    }
}
