package dev.reparam.bench;

import dev.reparam.experiments.Experiment;
import dev.reparam.experiments.Experiments;
import dev.reparam.experiments.Profile;
import dev.reparam.experiments.Shard;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * docs/scaling.md's model of the paper's full Table 2 (every experiment, n = 2..256, seeds 0-3,
 * every method, paper profile) as {@code reproduce --shard I/K} on K nodes: each run's estimated
 * seconds as reproduce balances by them (n x iterations x Experiment.secondsPerProblemIteration,
 * measured on 2-core sweeps), the same longest-processing-time partition, and the makespan.
 *
 * <pre>java -cp target/classes:target/test-classes dev.reparam.bench.ShardedSweepModel</pre>
 */
public final class ShardedSweepModel {
    private ShardedSweepModel() {}

    private record Run(String experiment, int n, double seconds) {}

    public static void main(String[] args) {
        List<Run> runs = new ArrayList<>();
        for (String name : Experiments.names()) {
            Experiment e = Experiments.byName(name).forProfile(Profile.PAPER);
            int iterations = e.training(0, Profile.PAPER).iterations();
            for (int n = 2; n <= 256; n *= 2) {
                for (int seed = 0; seed < 4; seed++) {
                    runs.add(new Run(name, n, (double) n * iterations * e.secondsPerProblemIteration(Profile.PAPER)));
                }
            }
        }
        double total = runs.stream().mapToDouble(Run::seconds).sum();
        double largest = runs.stream().mapToDouble(Run::seconds).max().orElse(0);
        System.out.printf(Locale.ROOT, "%d runs, %.1f node-hours in all, the largest run %.1f h%n%n", runs.size(),
                total / 3600, largest / 3600);
        System.out.println("| nodes K | longest shard | ideal (total / K) | efficiency |");
        System.out.println("|---:|---:|---:|---:|");
        for (int k : new int[] {1, 2, 4, 8, 16, 32, 64}) {
            double makespan = 0;
            for (int i = 1; i <= k; i++) {
                double load = new Shard(i, k).select(runs, Run::seconds).stream().mapToDouble(Run::seconds).sum();
                makespan = Math.max(makespan, load);
            }
            System.out.printf(Locale.ROOT, "| %d | %.1f h | %.1f h | %.0f %% |%n", k, makespan / 3600,
                    total / k / 3600, 100 * total / k / makespan);
        }
    }
}
