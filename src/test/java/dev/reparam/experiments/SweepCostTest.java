package dev.reparam.experiments;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The sweep's time left comes from the cost per problem-iteration of finished runs, not from counting runs. */
class SweepCostTest {
    @Test
    void largerRunsCostProportionallyMore() {
        Sweep.Cost cost = new Sweep.Cost();
        // two small runs: n=2 and n=4 at 100 iterations took 1 s and 2 s: 0.005 s per problem-iteration
        cost.add("wavepacket", 200, 1.0);
        cost.add("wavepacket", 400, 2.0);
        // left: n=256 at 100 iterations = 25600 units = 128 s; counting runs would have said 1.5 s
        assertEquals("about 2 min 8 s left", cost.left(List.of(Map.entry("wavepacket", 25600.0))));
    }

    @Test
    void experimentsWithoutAFinishedRunAreNamed() {
        Sweep.Cost cost = new Sweep.Cost();
        cost.add("wavepacket", 100, 1.0);
        assertEquals("about 2.0 s left plus navier-stokes (no finished run to estimate from yet)",
                cost.left(List.of(Map.entry("wavepacket", 200.0), Map.entry("navier-stokes", 50.0))));
        assertEquals("sweep finished", cost.left(List.<Map.Entry<String, Double>>of()));
    }
}
