package dev.reparam.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyWriteTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsRank3() {
        double[] data = new Random(1).doubles(60).toArray();
        data[0] = Double.NaN;
        data[1] = Double.NEGATIVE_INFINITY;
        data[2] = -0.0;
        NpyArray a = NpyArray.of(data, 3, 4, 5);
        Path file = dir.resolve("a.npy");
        Npy.write(file, a);
        assertEquals(a, Npy.read(file));
    }

    @Test
    void roundTripsScalarEmptyAndInts() {
        Path file = dir.resolve("s.npy");
        Npy.write(file, new double[] {7.25});
        assertEquals(NpyArray.of(new double[] {7.25}), Npy.read(file));
        Npy.write(file, new double[0], 0, 3);
        assertArrayEquals(new int[] {0, 3}, Npy.read(file).shape());
        Npy.writeInts(file, new int[] {Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE}, 2, 2);
        assertEquals(NpyArray.of(new double[] {Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE}, 2, 2), Npy.read(file));
    }

    @Test
    void roundTripsArrayLargerThanOneChunk() {
        // 3 million doubles = 24 MB, several times the I/O chunk size, with a partial last chunk.
        double[] data = new double[3_000_001];
        for (int i = 0; i < data.length; i++) {
            data[i] = i * 0.5;
        }
        Path file = dir.resolve("big.npy");
        Npy.write(file, data, data.length);
        assertArrayEquals(data, Npy.read(file).data());
    }

    @Test
    void headerIsPaddedTo64BytesAndEndsWithNewline() throws IOException {
        for (int[] shape : new int[][] {{}, {3}, {2, 3}, {100000, 1, 7, 9}}) {
            byte[] header = Npy.header("<f8", shape);
            int headerLen = (header[8] & 0xFF) | (header[9] & 0xFF) << 8;
            assertEquals(header.length, 10 + headerLen);
            assertEquals(0, header.length % 64);
            assertEquals('\n', header[header.length - 1]);
        }
        Path file = dir.resolve("h.npy");
        Npy.write(file, new double[3], 3);
        // The dict is 57 characters, so with the 10-byte prefix and '\n' the header pads to 128 bytes.
        String text = new String(Files.readAllBytes(file), 10, 118, StandardCharsets.US_ASCII);
        assertEquals("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }" + " ".repeat(60) + "\n", text);
        assertEquals(128 + 24, Files.size(file));
    }

    @Test
    void rejectsDataNotMatchingShape() {
        assertThrows(IllegalArgumentException.class, () -> Npy.write(dir.resolve("x.npy"), new double[5], 2, 3));
        assertThrows(IllegalArgumentException.class, () -> Npy.writeInts(dir.resolve("x.npy"), new int[5], 2));
    }
}
