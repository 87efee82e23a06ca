package dev.reparam.experiments;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registry: canonical names, short aliases, and the message for an unknown name. */
class ExperimentsTest {
    @Test
    void namesAreTheCanonicalOnes() {
        assertEquals(List.of("billiards", "kuramoto-sivashinsky", "navier-stokes", "wavepacket"), Experiments.names());
    }

    @Test
    void aliasesSelectTheCanonicalExperiment() {
        assertSame(Experiments.byName("kuramoto-sivashinsky"), Experiments.byName("ks"));
        assertSame(Experiments.byName("navier-stokes"), Experiments.byName("ns"));
        assertEquals("kuramoto-sivashinsky", Experiments.byName("ks").name());
        assertEquals("navier-stokes", Experiments.byName("ns").name());
    }

    @Test
    void namesAndAliasesIgnoreLetterCase() {
        assertSame(Experiments.byName("kuramoto-sivashinsky"), Experiments.byName("KS"));
        assertSame(Experiments.byName("navier-stokes"), Experiments.byName("Navier-Stokes"));
        assertSame(Experiments.byName("wavepacket"), Experiments.byName("WavePacket"));
    }

    @Test
    void unknownNameListsNamesWithTheirAliases() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Experiments.byName("pendulum"));
        assertTrue(e.getMessage().endsWith(
                "known: billiards, kuramoto-sivashinsky (ks), navier-stokes (ns), wavepacket"), e.getMessage());
    }
}
