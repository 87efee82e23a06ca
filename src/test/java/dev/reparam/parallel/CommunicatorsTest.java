package dev.reparam.parallel;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the launcher's environment says about this process: under MPI or not, its node's ranks, its GPU's index. */
class CommunicatorsTest {
    @Test
    void aProcessStartedAloneIsRankZeroOfOneOnItsNode() {
        assertFalse(Communicators.launchedByMpi(Map.of()));
        assertEquals(1, Communicators.localSize(Map.of()));
        assertEquals(0, Communicators.localRank(Map.of()));
    }

    @Test
    void openMpisLocalRankComesFirstThenSlurms() {
        Map<String, String> ompi = Map.of("OMPI_COMM_WORLD_SIZE", "8", "OMPI_COMM_WORLD_LOCAL_SIZE", "4",
                "OMPI_COMM_WORLD_LOCAL_RANK", "3", "SLURM_LOCALID", "1");
        assertTrue(Communicators.launchedByMpi(ompi));
        assertEquals(4, Communicators.localSize(ompi));
        assertEquals(3, Communicators.localRank(ompi));
        assertEquals(1, Communicators.localRank(Map.of("PMIX_RANK", "5", "SLURM_LOCALID", "1")));
    }

    @Test
    void aMalformedCountIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Communicators.localRank(Map.of("OMPI_COMM_WORLD_LOCAL_RANK", "-1")));
        assertEquals("OMPI_COMM_WORLD_LOCAL_RANK is not a count: '-1'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Communicators.localSize(Map.of("OMPI_COMM_WORLD_LOCAL_SIZE", "four")));
        assertEquals("OMPI_COMM_WORLD_LOCAL_SIZE is not a count: 'four'", e.getMessage());
    }
}
