package dev.reparam.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Npy.readRows and Npy.shape: what an MPI rank reads of a file every rank shares. */
class NpyRowsTest {
    @TempDir
    Path tmp;

    @Test
    void rowsAreTheWholeArraysRowsAndTheShapeComesFromTheHeader() {
        double[] data = new double[5 * 3 * 2];
        for (int i = 0; i < data.length; i++) data[i] = i * 0.5 - 3;
        Path file = tmp.resolve("a.npy");
        Npy.write(file, data, 5, 3, 2);
        assertArrayEquals(new int[] {5, 3, 2}, Npy.shape(file));
        NpyArray rows = Npy.readRows(file, 3, 5);
        assertArrayEquals(new int[] {2, 3, 2}, rows.shape());
        assertArrayEquals(Arrays.copyOfRange(data, 18, 30), rows.data());
        assertEquals(0, Npy.readRows(file, 2, 2).data().length);
        assertArrayEquals(data, Npy.readRows(file, 0, 5).data());
    }

    @Test
    void rowsOutsideTheArrayOrOfAScalarAreRefusedNamingTheFile() {
        Path file = tmp.resolve("a.npy"), scalar = tmp.resolve("s.npy");
        Npy.write(file, new double[4], 2, 2);
        Npy.write(scalar, new double[] {1.0});
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.readRows(file, 1, 3));
        assertEquals(file + ": rows [1, 3) asked of an array of shape [2, 2]", e.getMessage());
        e = assertThrows(NpyFormatException.class, () -> Npy.readRows(scalar, 0, 0));
        assertEquals(scalar + ": rows [0, 0) asked of an array of shape []", e.getMessage());
        assertEquals(file.resolveSibling("missing.npy") + ": missing file",
                assertThrows(NpyFormatException.class, () -> Npy.shape(file.resolveSibling("missing.npy")))
                        .getMessage());
    }
}
