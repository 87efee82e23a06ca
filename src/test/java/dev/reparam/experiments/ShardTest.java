package dev.reparam.experiments;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sweep's partition into shards: disjoint, complete, balanced by cost, the same in every process. */
class ShardTest {
    /** A sweep's shape: 8 values of n, 4 seeds, so costs spread over two orders of magnitude. */
    private static List<Integer> sweepCosts() {
        List<Integer> costs = new ArrayList<>();
        for (int n = 2; n <= 256; n *= 2) for (int seed = 0; seed < 4; seed++) costs.add(n);
        return costs;
    }

    @Test
    void shardsAreDisjointAndCoverEveryItemInOrder() {
        List<Integer> ids = IntStream.range(0, 32).boxed().toList();
        List<Integer> costs = sweepCosts();
        for (int k = 1; k <= 7; k++) {
            List<Integer> union = new ArrayList<>();
            for (int i = 1; i <= k; i++) {
                List<Integer> part = new Shard(i, k).select(ids, costs::get);
                assertEquals(part.stream().sorted().toList(), part, "a shard keeps the sweep's order");
                union.addAll(part);
            }
            assertEquals(ids, union.stream().sorted().toList(), "k = " + k);
        }
    }

    @Test
    void shardsAreBalancedByCostNotByCount() {
        List<Integer> costs = sweepCosts(); // total 2040; the four n = 256 runs are half of it
        for (int k : new int[] {2, 4}) {
            for (int i = 1; i <= k; i++) {
                int load = new Shard(i, k).select(costs, c -> c).stream().mapToInt(Integer::intValue).sum();
                assertEquals(2040 / k, load, "shard " + i + "/" + k);
            }
        }
        // 8 shards: each n = 256 run alone on a shard would be 256, LPT reaches that bound for all eight
        for (int i = 1; i <= 8; i++) {
            int load = new Shard(i, 8).select(costs, c -> c).stream().mapToInt(Integer::intValue).sum();
            assertTrue(load <= 256, "shard " + i + "/8 carries " + load);
        }
    }

    @Test
    void parseAcceptsIOverKAndNamesTheOptionOtherwise() {
        assertEquals(new Shard(2, 4), Shard.parse("2/4"));
        assertTrue(Shard.parse("1/1").isWhole());
        for (String bad : new String[] {"0/4", "5/4", "2", "2/4/8", "a/b", "1/0"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Shard.parse(bad));
            assertTrue(e.getMessage().startsWith("--shard: expected I/K"), e.getMessage());
        }
    }
}
