package dev.reparam.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hand-built files: unusual but valid headers, and each kind of broken file. */
class NpyReadErrorsTest {
    @TempDir
    Path dir;

    /** A version 1.0 file with the given header text (unpadded; numpy's padding is not required to read). */
    private Path npy(String header, double... values) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(10 + h.length + 8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) h.length).put(h);
        for (double v : values) {
            b.putDouble(v);
        }
        Path file = dir.resolve("hand.npy");
        Files.write(file, b.array());
        return file;
    }

    private static void assertFails(Path file, String expectedPart) {
        var e = assertThrows(NpyFormatException.class, () -> Npy.read(file));
        assertTrue(e.getMessage().contains(expectedPart), e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), "message should name the file: " + e.getMessage());
    }

    @Test
    void headerParsingIgnoresSpacingAndKeyOrder() throws IOException {
        Path file = npy("{ \"shape\":( 2 ,3 ) ,'fortran_order' :False,\n'descr':'<f8'}   \n", 1, 2, 3, 4, 5, 6);
        NpyArray a = Npy.read(file);
        assertArrayEquals(new int[] {2, 3}, a.shape());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, a.data());
    }

    @Test
    void truncatedData() throws IOException {
        Path file = dir.resolve("t.npy");
        Npy.write(file, new double[6], 2, 3);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 8));
        assertFails(file, "truncated data: expected 48 bytes, found 40");
    }

    @Test
    void truncatedHeader() throws IOException {
        Path file = dir.resolve("t.npy");
        Npy.write(file, new double[6], 2, 3);
        Files.write(file, Arrays.copyOf(Files.readAllBytes(file), 30));
        assertFails(file, "truncated header");
    }

    @Test
    void notAnNpyFile() throws IOException {
        Path file = dir.resolve("data.csv");
        Files.writeString(file, "1,2,3\n4,5,6\n");
        assertFails(file, "not an NPY file");
        Files.write(file, new byte[0]);
        assertFails(file, "not an NPY file");
    }

    @Test
    void missingFile() {
        assertFails(dir.resolve("nope.npy"), "missing file");
    }

    @Test
    void unsupportedVersion() throws IOException {
        Path file = npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", 1);
        byte[] bytes = Files.readAllBytes(file);
        bytes[6] = 4;
        Files.write(file, bytes);
        assertFails(file, "unsupported NPY format version 4.0");
    }

    @Test
    void malformedHeaders() throws IOException {
        assertFails(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1,)", 1), "malformed header");
        assertFails(npy("{'descr': '<f8', 'fortran_order': Maybe, 'shape': (1,)}", 1), "malformed header");
        assertFails(npy("{'descr': '<f8', 'shape': (1,)}", 1), "no 'fortran_order' key");
        assertFails(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (-1,)}"), "invalid dimension");
        assertFails(npy("{'descr': '<f8', 'fortran_order': 0, 'shape': (1,)}", 1),
                "'fortran_order' is not True or False");
    }

    @Test
    void structuredDtypeIsUnsupported() throws IOException {
        assertFails(npy("{'descr': [('x', '<f8')], 'fortran_order': False, 'shape': (1,)}", 1), "unsupported dtype");
        assertFails(npy("{'descr': '<f2', 'fortran_order': False, 'shape': (1,)}", 1), "unsupported dtype '<f2'");
    }
}
