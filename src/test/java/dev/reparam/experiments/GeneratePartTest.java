package dev.reparam.experiments;

import dev.reparam.inverse.ProblemSet;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * An MPI rank generates only its part of the problems (Experiment.generatePart); it must be
 * exactly the rows of the whole set, or a K-rank run would solve other problems than one process.
 */
class GeneratePartTest {
    @Test
    void aPartIsTheWholeSetsRowsBitForBit() {
        for (String name : Experiments.names()) {
            Experiment exp = Experiments.byName(name).forProfile(Profile.QUICK);
            int n = 5, start = 1, end = 4;
            ProblemSet all = exp.generate(n, 17), part = exp.generatePart(n, 17, start, end);
            assertEquals(end - start, part.size(), name);
            assertArrayEquals(rows(all.observations(), n, start, end), part.observations(), name + " observations");
            assertArrayEquals(rows(all.trueParameters(), n, start, end), part.trueParameters(), name + " truth");
            if (all.inputs() == null) {
                assertNull(part.inputs(), name);
            } else {
                assertArrayEquals(rows(all.inputs(), n, start, end), part.inputs(), name + " inputs");
            }
            // and the part evaluates its problems as the whole set does
            int dim = all.dim();
            double[] xi = Arrays.copyOf(all.initialGuess(), dim * (end - start));
            for (int i = 1; i < end - start; i++) System.arraycopy(xi, 0, xi, i * dim, dim);
            double[] lossPart = new double[end - start], gradPart = new double[xi.length];
            part.lossAndGradient(new int[] {0, 1, 2}, xi, lossPart, gradPart);
            double[] lossAll = new double[end - start], gradAll = new double[xi.length];
            all.lossAndGradient(new int[] {1, 2, 3}, xi, lossAll, gradAll);
            assertArrayEquals(lossAll, lossPart, name + " loss");
            assertArrayEquals(gradAll, gradPart, name + " gradient");
        }
    }

    private static double[] rows(double[] values, int n, int start, int end) {
        int width = values.length / n;
        return Arrays.copyOfRange(values, start * width, end * width);
    }
}
