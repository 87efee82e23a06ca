package dev.reparam.bench;

import dev.reparam.parallel.Communicator;
import dev.reparam.parallel.Communicators;

import java.util.Arrays;
import java.util.Locale;

/**
 * The time of one theta-gradient sum (Communicator.sumInRankOrder) as a data-parallel iteration
 * makes it, per vector length, median of many: the communication term of docs/scaling.md.
 *
 * <pre>mpirun -q -np 2 java -cp target/classes:target/test-classes:DEPS dev.reparam.bench.AllReduceTiming</pre>
 */
public final class AllReduceTiming {
    private AllReduceTiming() {}

    public static void main(String[] args) {
        Communicator world = Communicators.world();
        // wave packet's theta (31k), 10x, 100x; and the batch-norm statistics' size (tens of values)
        int[] lengths = {32, 31_000, 310_000, 3_100_000};
        for (int len : lengths) {
            double[] v = new double[len];
            int reps = len > 1_000_000 ? 20 : 200;
            double[] t = new double[reps];
            for (int r = 0; r < reps + 5; r++) {
                Arrays.fill(v, world.rank() + 1);
                world.barrier();
                long s = System.nanoTime();
                world.sumInRankOrder(v);
                if (r >= 5) t[r - 5] = (System.nanoTime() - s) * 1e-6;
            }
            Arrays.sort(t);
            if (world.isRoot()) {
                System.out.printf(Locale.ROOT, "ranks %d  values %9d  %8.1f KB  median %.3f ms  (min %.3f)%n",
                        world.size(), len, len * 8 / 1e3, t[reps / 2], t[0]);
            }
        }
    }
}
