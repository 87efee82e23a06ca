package dev.reparam.sim.ns.cuda;

import dev.reparam.cuda.CudaDtype;
import dev.reparam.sim.ns.MacGrid;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The preconditioner option's host-side contract (no GPU). */
class CgPreconditionerTest {
    @Test
    void relaxationAndOverCorrectionKeepThePreconditionersPositiveDefinite() {
        // SSOR is SPD for 0 < omega < 2; the scaled coarse correction keeps the V-cycle SPD for 0 < scale < 2
        assertTrue(CgPreconditioner.SSOR_OMEGA > 0 && CgPreconditioner.SSOR_OMEGA < 2);
        assertTrue(CgPreconditioner.MG_SCALE > 0 && CgPreconditioner.MG_SCALE < 2);
    }

    @Test
    void aMissingPreconditionerIsRejectedBeforeTheDeviceIsTouched() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CudaNavierStokes(null, null, CudaDtype.FLOAT64,
                MacGrid.threeObstacles(32, 32), 1, 8, 0.01, 1e-5, null, 2));
        assertTrue(e.getMessage().contains("preconditioner"), e.getMessage());
    }
}
