package dev.reparam.parallel;

import java.util.Arrays;
import java.util.Locale;

/**
 * Run under mpirun by MpiCollectivesTest: each rank exercises the collectives and rank 0 prints
 * what it saw, one fact per line, for the test to compare with what K ranks must give.
 */
public final class CollectivesProbe {
    private CollectivesProbe() {}

    public static void main(String[] args) {
        Communicator world = Communicators.world();
        int r = world.rank(), k = world.size();
        double[] b = {r == 0 ? 3.25 : -1, r == 0 ? 7 : -1};
        world.broadcast(b);
        // values whose sum depends on the order of addition: 1e16 + r + 0.5 rounds differently
        double[] s = {1e16 * (r == 0 ? 1 : -1) + r + 0.5, r + 1};
        world.sumInRankOrder(s);
        double[] mine = new double[world.shard(5).size()];
        for (int i = 0; i < mine.length; i++) mine[i] = world.shard(5).start() + i;
        double[] all = world.gatherToRoot(mine);
        world.barrier();
        if (args.length > 0 && args[0].equals("fail") && r == k - 1) {
            System.err.println("probe: rank " + r + " stops the run");
            System.err.flush();
            world.stopAll(2);
        }
        if (args.length > 0 && args[0].equals("fail")) world.barrier(); // the others wait here: no hang
        if (world.isRoot()) {
            System.out.println("size " + k);
            System.out.println("broadcast " + Arrays.toString(b));
            System.out.println(String.format(Locale.ROOT, "sum %.17g %.17g", s[0], s[1]));
            System.out.println("gather " + Arrays.toString(all));
        }
    }
}
