package dev.reparam.sim.billiards;

import dev.reparam.inverse.CentralDifferences;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BilliardsTest {
    /**
     * Head-on: ball at (0.5, 0.5), shot (1, 0). Contact after d = 0.4 - 0.06 = 0.34 at speed
     * 1 - 0.34 = 0.66 along n = (1, 0); v2 = 0.9 * 0.66 = 0.594, so the ball rests at (1.094, 0.5).
     */
    @Test
    void headOnShotByHand() {
        double[] rest = new double[2];
        Billiards.restPosition(1.0, 0.0, 0.5, 0.5, rest);
        assertEquals(1.094, rest[0], 1e-14);
        assertEquals(0.5, rest[1], 0.0);
        double[] loss = new double[1], grad = new double[2];
        Billiards.lossAndGradient(new double[] {1.0, 0.0}, new double[] {0.5, 0.5}, new double[] {1.0, 0.6},
                new int[] {0}, loss, grad);
        assertEquals(0.094 * 0.094 + 0.1 * 0.1, loss[0], 1e-14);
        // along x only the speed matters: rest x = 0.5 + 0.9 (v - 0.34), d loss / d v0x = 2 * 0.094 * 0.9
        assertEquals(2 * 0.094 * 0.9, grad[0], 1e-12);
    }

    @Test
    void tooSlowOrMisaimedShotsLeaveTheBallWhereItIs() {
        assertFalse(Billiards.hits(0.34, 0.0, 0.5, 0.5), "stops just before contact");
        assertTrue(Billiards.hits(0.35, 0.0, 0.5, 0.5));
        assertFalse(Billiards.hits(1.0, 0.0, 0.5, 0.57), "passes more than 2r beside the ball");
        assertFalse(Billiards.hits(-1.0, 0.0, 0.5, 0.5), "shot away from the ball");
        double[] rest = new double[2];
        Billiards.restPosition(1.0, 0.5, 0.5, 0.5, rest);
        assertEquals(0.5, rest[0], 0.0);
        assertEquals(0.5, rest[1], 0.0);
    }

    @Test
    void gradientMatchesCentralDifferencesOnHittingShots() {
        SplittableRandom rng = new SplittableRandom(11);
        int n = 200;
        double[] q = new double[2 * n], y = new double[2 * n], v0 = new double[2 * n];
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
            q[2 * i] = 0.4 + 0.2 * rng.nextDouble();
            q[2 * i + 1] = 0.35 + 0.3 * rng.nextDouble();
            y[2 * i] = rng.nextDouble() * 2;
            y[2 * i + 1] = rng.nextDouble() * 2 - 0.5;
            do {
                v0[2 * i] = 1.5 * rng.nextDouble();
                v0[2 * i + 1] = 3 * rng.nextDouble() - 1.5;
            } while (!Billiards.hits(v0[2 * i], v0[2 * i + 1], q[2 * i], q[2 * i + 1]));
        }
        double[] loss = new double[n], grad = new double[2 * n], g = new double[2 * n];
        Billiards.lossAndGradient(v0, q, y, rows, loss, grad);
        double h = 1e-7;
        double[] fd = CentralDifferences.gradient((v, l) -> Billiards.lossAndGradient(v, q, y, rows, l, g), v0, 2, h);
        int checked = 0;
        for (int dim = 0; dim < 2; dim++) {
            for (int i = 0; i < n; i++) {
                // a shot within h of grazing or stopping has a kink inside the stencil
                double vx = v0[2 * i], vy = v0[2 * i + 1], step = dim == 0 ? h : 0, stepY = dim == 1 ? h : 0;
                if (!Billiards.hits(vx + step, vy + stepY, q[2 * i], q[2 * i + 1])
                        || !Billiards.hits(vx - step, vy - stepY, q[2 * i], q[2 * i + 1])) continue;
                double f = fd[2 * i + dim];
                assertEquals(f, grad[2 * i + dim], 1e-6 + 1e-5 * Math.abs(f), "problem " + i + " dim " + dim);
                checked++;
            }
        }
        assertTrue(checked > 380, "checked only " + checked);
    }

    @Test
    void missesHaveExactlyZeroGradientAndConstantLoss() {
        SplittableRandom rng = new SplittableRandom(5);
        double[] q = {0.5, 0.6}, y = {0.9, 0.2};
        double constant = 0.4 * 0.4 + 0.4 * 0.4;
        int misses = 0;
        for (int trial = 0; trial < 500; trial++) {
            double[] v0 = {1.5 * rng.nextDouble(), 3 * rng.nextDouble() - 1.5};
            if (Billiards.hits(v0[0], v0[1], q[0], q[1])) continue;
            double[] loss = new double[1], grad = new double[2];
            Billiards.lossAndGradient(v0, q, y, new int[] {0}, loss, grad);
            assertEquals(constant, loss[0], 1e-15);
            assertEquals(0.0, grad[0], 0.0);
            assertEquals(0.0, grad[1], 0.0);
            misses++;
        }
        assertTrue(misses > 300, "misses " + misses);
    }
}
