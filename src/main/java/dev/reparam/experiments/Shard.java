package dev.reparam.experiments;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The {@code index}-th (1-based) of {@code count} disjoint subsets of a sweep's runs, for running
 * one sweep as K independent jobs (a batch scheduler's job array) into one shared directory.
 * Every shard computes the same partition from the same run list, so the K jobs need no
 * coordination; together they cover every run exactly once.
 */
public record Shard(int index, int count) {
    /** The whole sweep. */
    public static final Shard ALL = new Shard(1, 1);

    public Shard {
        if (count < 1 || index < 1 || index > count) {
            throw new IllegalArgumentException("--shard: expected I/K with 1 <= I <= K, got " + index + "/" + count);
        }
    }

    /** "2/4"; anything else is one line naming --shard. */
    public static Shard parse(String text) {
        String[] parts = text.strip().split("/", -1);
        try {
            if (parts.length == 2) {
                return new Shard(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
            }
        } catch (NumberFormatException e) {
            // the one message below
        }
        throw new IllegalArgumentException("--shard: expected I/K such as 2/4, got '" + text + "'");
    }

    public boolean isWhole() {
        return count == 1;
    }

    /**
     * This shard's items, in their original order. The partition is longest-processing-time
     * first: items in order of falling estimated cost (ties in list order), each to the shard with
     * the least cost so far (ties to the lowest index). Balancing by cost matters because a
     * sweep's runs differ in cost by 100x and more (n = 2 against n = 256); by count, one shard
     * would get all the large runs. LPT's makespan is within 4/3 of the best partition's.
     */
    public <T> List<T> select(List<T> items, ToDoubleFunction<T> cost) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) order.add(i);
        order.sort(Comparator.comparingDouble((Integer i) -> -cost.applyAsDouble(items.get(i))));
        double[] load = new double[count];
        boolean[] mine = new boolean[items.size()];
        for (int i : order) {
            int least = 0;
            for (int s = 1; s < count; s++) if (load[s] < load[least]) least = s;
            load[least] += cost.applyAsDouble(items.get(i));
            mine[i] = least == index - 1;
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) if (mine[i]) out.add(items.get(i));
        return out;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
