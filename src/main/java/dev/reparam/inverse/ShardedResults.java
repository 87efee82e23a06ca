package dev.reparam.inverse;

import dev.reparam.parallel.Communicator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A method's per-rank results of a data-parallel run put back together on rank 0, in problem
 * order (ranks hold contiguous parts in rank order): what one rank would have produced on all
 * problems. Every rank calls it; rank 0 gets the whole result, the others null.
 */
public final class ShardedResults {
    private ShardedResults() {}

    public static MethodResult gather(Communicator world, MethodResult mine) {
        Solution unrefined = gather(world, mine.unrefined());
        Solution refined = mine.refined() == null ? null : gather(world, mine.refined());
        double[][] curve = gatherCurve(world, mine.curve());
        if (!world.isRoot()) return null;
        return new MethodResult(mine.method(), unrefined, refined, curve, mine.seconds(), mine.refineSeconds());
    }

    private static Solution gather(Communicator world, Solution s) {
        double[] z = world.gatherToRoot(s.z()), xi = world.gatherToRoot(s.xi()), loss = world.gatherToRoot(s.loss());
        int[] iterations = s.iterations() == null ? null : ints(world.gatherToRoot(doubles(s.iterations())));
        int[] evaluations = s.evaluations() == null ? null : ints(world.gatherToRoot(doubles(s.evaluations())));
        String[] reasons = s.stopReasons() == null ? null : strings(world.gatherToRoot(encode(s.stopReasons())));
        return world.isRoot() ? new Solution(z, xi, loss, iterations, evaluations, reasons) : null;
    }

    /**
     * curve[iteration][problem]. An optimiser's curve is as long as its slowest problem, which
     * differs between ranks; a problem that stopped keeps its last loss, as it does in a lockstep
     * run over all problems, so shorter parts are padded with their last row.
     */
    private static double[][] gatherCurve(Communicator world, double[][] mine) {
        if (mine == null) return null;
        double[] lengths = new double[world.size()];
        lengths[world.rank()] = mine.length;
        world.sumInRankOrder(lengths);
        int longest = (int) Arrays.stream(lengths).max().orElse(0);
        double[][] all = new double[longest][];
        for (int it = 0; it < longest; it++) {
            double[] row = mine.length == 0 ? new double[0] : mine[Math.min(it, mine.length - 1)];
            all[it] = world.gatherToRoot(row);
        }
        return world.isRoot() ? all : null;
    }

    private static double[] doubles(int[] v) {
        return Arrays.stream(v).asDoubleStream().toArray();
    }

    private static int[] ints(double[] v) {
        return Arrays.stream(v).mapToInt(d -> (int) d).toArray();
    }

    /** Each string as its length, then its UTF-8 bytes, one per double. */
    private static double[] encode(String[] values) {
        int total = 0;
        byte[][] bytes = new byte[values.length][];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = values[i] == null ? new byte[0] : values[i].getBytes(StandardCharsets.UTF_8);
            total += 1 + bytes[i].length;
        }
        double[] out = new double[total];
        int o = 0;
        for (byte[] b : bytes) {
            out[o++] = b.length;
            for (byte x : b) out[o++] = x;
        }
        return out;
    }

    private static String[] strings(double[] encoded) {
        List<String> out = new ArrayList<>();
        for (int o = 0; o < encoded.length; ) {
            int len = (int) encoded[o++];
            byte[] b = new byte[len];
            for (int k = 0; k < len; k++) b[k] = (byte) encoded[o++];
            out.add(new String(b, StandardCharsets.UTF_8));
        }
        return out.toArray(String[]::new);
    }
}
