package dev.reparam.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Files built to break the reader: each must fail with a one-line message that names the file and the
 * problem, never with a StackOverflowError, OutOfMemoryError or other runtime exception. The plainer
 * broken files are in {@link NpyReadErrorsTest}.
 */
class NpyHostileFilesTest {
    @TempDir
    Path dir;

    /** One hand-built file; toString keeps a megabyte of bytes out of the test's display name. */
    record Hostile(String name, byte[] bytes, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Hostile> hostileFiles() {
        return Stream.of(
                // The parser recurses per bracket; these must stop at the depth limit, not the stack's.
                new Hostile("nested17Levels", v1(dict("[".repeat(16) + "'<f8'" + "]".repeat(16), "False", "(1,)")),
                        "header nests deeper than 16 levels"),
                new Hostile("nested16LevelsParsesToDtypeError",
                        v1(dict("[".repeat(15) + "'<f8'" + "]".repeat(15), "False", "(1,)")), "unsupported dtype"),
                new Hostile("halfMillionParens", npy(2, 0, latin1("(".repeat(500_000)), new byte[0]),
                        "header nests deeper than 16 levels"),
                new Hostile("nestedStructuredDtype",
                        v1(dict("[('pos', [('x', '<f8'), ('y', '<f8')]), ('id', '<i4', (2,))]", "False", "(1,)")),
                        "unsupported dtype"),
                // Shapes whose element count Java cannot hold.
                new Hostile("shapeProductOverflowsLong",
                        v1(dict("'<f8'", "False", "(2147483647, 2147483647, 2147483647)")),
                        "overflows: its element count exceeds 9223372036854775807"),
                new Hostile("shapeBeyondArrayLimit", v1(dict("'|u1'", "False", "(50000, 50000)")),
                        "has 2500000000 elements; a Java array holds at most 2147483639"),
                new Hostile("emptyShapeWithDimBeyondInt", v1(dict("'<f8'", "False", "(0, 3000000000)")),
                        "has dimension 3000000000, beyond Java's int range"),
                new Hostile("dimBeyond64Bits", v1(dict("'<f8'", "False", "(99999999999999999999,)")), "bad integer"),
                new Hostile("shapeWithStringDim", v1(dict("'<f8'", "False", "('3',)")),
                        "invalid dimension: '3' is not an integer"),
                new Hostile("shapeWithBoolDim", v1(dict("'<f8'", "False", "(True,)")),
                        "invalid dimension: True is not an integer"),
                new Hostile("shapeNotTuple", v1(dict("'<f8'", "False", "6")), "header 'shape' is not a tuple"),
                new Hostile("nonAsciiDigitInShape",
                        npy(3, 0, dict("'<f8'", "False", "(\u0663,)").getBytes(StandardCharsets.UTF_8), new byte[8]),
                        "unexpected character '\u0663'"),
                // The fixed-size prefix: magic, version, header length.
                new Hostile("truncatedMagic", new byte[] {(byte) 0x93, 'N', 'U', 'M'},
                        "ends after 4 bytes, inside the magic string"),
                new Hostile("badMagic", replace(v1(OK_HEADER), 5, 'Z'), "no \\x93NUMPY magic string"),
                new Hostile("version0.0", npy(0, 0, latin1(OK_HEADER), new byte[8]),
                        "unsupported NPY format version 0.0"),
                new Hostile("version1.1", npy(1, 1, latin1(OK_HEADER), new byte[8]),
                        "unsupported NPY format version 1.1"),
                new Hostile("version255.0", npy(255, 0, latin1(OK_HEADER), new byte[8]),
                        "unsupported NPY format version 255.0"),
                new Hostile("headerLengthCutOff", new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0, 16, 0},
                        "header length field is cut off"),
                new Hostile("headerLengthBeyond1MB", withLength(v2(OK_HEADER), 0xFFFFFFFF),
                        "header length 4294967295 is implausibly large"),
                new Hostile("headerLengthBeyondFileEnd", withLength(v1(OK_HEADER), 1000),
                        "truncated header: expected 1000 bytes, found " + (OK_HEADER.length() + 8)),
                // The header dict itself.
                new Hostile("emptyHeader", v1(""), "unexpected end"),
                new Hostile("headerNotDict", v1("[('descr', '<f8'), ('shape', (1,))]"),
                        "header is not a dict: [('descr', '<f8')"),
                new Hostile("missingDescr", v1("{'fortran_order': False, 'shape': (1,), }"),
                        "header has no 'descr' key: ['fortran_order', 'shape']"),
                new Hostile("missingShape", v1("{'descr': '<f8', 'fortran_order': False, }"),
                        "header has no 'shape' key: ['descr', 'fortran_order']"),
                new Hostile("tenThousandKeysNoDescr", v2(manyKeys(10_000)), "header has no 'descr' key: ['k0', 'k1', "),
                new Hostile("fortranOrderIsString", v1("{'descr': '<f8',\n 'fortran_order': 'False',\n 'shape': (1,)}"),
                        "header 'fortran_order' is not True or False: {'descr': '<f8',\\n 'fortran_order'"),
                new Hostile("unterminatedString",
                v1("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'x': 'abc"),
                        "unterminated string at offset 61"),
                new Hostile("trailingGarbageAfterDict", v1(OK_HEADER + " xyz"),
                "unexpected text after the header dict"),
                new Hostile("nulInHeader", v1("{'descr': '<f8', \0'fortran_order': False, 'shape': (1,)}"),
                        "unexpected character '\\u0000'"),
                new Hostile("nonUtf8V3Header", npy(3, 0, nonUtf8Header(), new byte[8]),
                        "version 3.0 header is not valid UTF-8 (at header byte 11)"),
                // Element types the reader does not convert.
                new Hostile("objectDtype", v1(dict("'|O'", "False", "(1,)")), "unsupported dtype '|O'"),
                new Hostile("unicodeDtype", v1(dict("'<U5'", "False", "(1,)")), "unsupported dtype '<U5'"),
                new Hostile("tenThousandFieldDtype", v2(dict(fields(10_000), "False", "(1,)")),
                        "unsupported dtype [['f0', '<f8'], ['f1', '<f8'], "),
                // The data after the header.
                new Hostile("dataEndsInsideFirstElement", withData(v1(dict("'<f8'", "False", "(1000,)")), 7),
                        "truncated data: expected 8000 bytes, found 7"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileFiles")
    void rejectsHostileFile(Hostile c) throws IOException {
        Path file = dir.resolve(c.name() + ".npy");
        Files.write(file, c.bytes());
        assertOneLine(file, assertThrows(NpyFormatException.class, () -> Npy.read(file)), c.expected());
    }

    @Test
    void sparseFileClaimingMoreThanTheHeapIsRefusedBeforeAllocating() throws IOException {
        // 8 GB of float64; where this JVM could take that, claim more, up to the largest Java array.
        long count = Math.max(1_000_000_000L, Runtime.getRuntime().maxMemory() / 8 + 1);
        Assumptions.assumeTrue(count <= NpyHeader.MAX_ARRAY_LENGTH, "the heap can hold the largest Java array");
        byte[] header = v1(dict("'<f8'", "False", "(" + count + ",)"));
        Path file = dir.resolve("sparse.npy");
        // setLength makes a hole, so the test writes no gigabytes; the reader sees a file of the full length.
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.write(header);
            raf.setLength(header.length + 8 * count);
        }
        var e = assertThrows(NpyFormatException.class, () -> Npy.read(file));
        assertOneLine(file, e, count + " elements need ");
        assertTrue(e.getMessage().contains(" of memory as float64; this JVM may use ")
                && e.getMessage().endsWith(" more: raise -Xmx or pass a smaller file"), e.getMessage());
        if (count == 1_000_000_000L) {
            assertTrue(e.getMessage().contains("need 8.0 GB"), e.getMessage());
        }
    }

    @Test
    void directoryGivesTheOsReason() {
        assertOneLine(dir, assertThrows(UncheckedIOException.class, () -> Npy.read(dir)), "Is a directory");
    }

    @Test
    void symlinkLoopGivesTheOsReason() throws IOException {
        Path a = dir.resolve("a.npy");
        Path b = dir.resolve("b.npy");
        Files.createSymbolicLink(a, b);
        Files.createSymbolicLink(b, a);
        assertOneLine(a, assertThrows(UncheckedIOException.class, () -> Npy.read(a)),
                "Too many levels of symbolic links");
    }

    @Test
    void fullDeviceGivesTheOsReasonOnWrite() {
        Path full = Path.of("/dev/full");
        Assumptions.assumeTrue(Files.isWritable(full), "no writable /dev/full");
        var e = assertThrows(UncheckedIOException.class, () -> Npy.write(full, new double[] {1}, 1));
        assertOneLine(full, e, "cannot write /dev/full: No space left on device");
    }

    /** Positive control: a valid big-endian file still reads, and bytes after its data are ignored as numpy does. */
    @Test
    void bigEndianWithTrailingBytesStillReads() throws IOException {
        ByteBuffer data = ByteBuffer.allocate(16 + 5).order(ByteOrder.BIG_ENDIAN).putDouble(1.5).putDouble(-2.0);
        data.put("extra".getBytes(StandardCharsets.US_ASCII));
        Path file = dir.resolve("be.npy");
        Files.write(file, npy(1, 0, latin1(dict("'>f8'", "False", "(2,)")), data.array()));
        NpyArray a = Npy.read(file);
        assertArrayEquals(new int[] {2}, a.shape());
        assertArrayEquals(new double[] {1.5, -2.0}, a.data());
    }

    /** The message names the file and the problem, fits one line, and quotes no megabyte header. */
    private static void assertOneLine(Path file, RuntimeException e, String expectedPart) {
        String m = e.getMessage();
        assertTrue(m.contains(file.toString()), "message should name the file: " + m);
        assertTrue(m.contains(expectedPart), "expected '" + expectedPart + "' in: " + m);
        assertTrue(m.chars().noneMatch(Character::isISOControl), "message should be one line: " + m);
        assertTrue(m.length() < file.toString().length() + 400, "message too long (" + m.length() + "): " + m);
    }

    private static final String OK_HEADER = dict("'<f8'", "False", "(1,)");

    private static String dict(String descr, String fortranOrder, String shape) {
        return "{'descr': " + descr + ", 'fortran_order': " + fortranOrder + ", 'shape': " + shape + ", }";
    }

    private static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A version 1.0 file (uint16 header length) with one float64 of data, enough for shape (1,). */
    private static byte[] v1(String header) {
        return npy(1, 0, latin1(header), new byte[8]);
    }

    /** A version 2.0 file (uint32 header length), for headers beyond 64 KiB. */
    private static byte[] v2(String header) {
        return npy(2, 0, latin1(header), new byte[8]);
    }

    /** Magic, version, little-endian header length (2 bytes for 1.x, else 4), header, data. */
    private static byte[] npy(int major, int minor, byte[] header, byte[] data) {
        int lengthBytes = major == 1 ? 2 : 4;
        ByteBuffer b = ByteBuffer.allocate(8 + lengthBytes + header.length + data.length)
                .order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, (byte) minor});
        if (lengthBytes == 2) {
            b.putShort((short) header.length);
        } else {
            b.putInt(header.length);
        }
        return b.put(header).put(data).array();
    }

    /** The file cut right after its header, plus {@code dataBytes} zero bytes. */
    private static byte[] withData(byte[] file, int dataBytes) {
        int headerEnd = file.length - 8;
        byte[] out = new byte[headerEnd + dataBytes];
        System.arraycopy(file, 0, out, 0, headerEnd);
        return out;
    }

    /** The file with its header length field overwritten; the field's width follows the version byte. */
    private static byte[] withLength(byte[] file, int length) {
        ByteBuffer b = ByteBuffer.wrap(file.clone()).order(ByteOrder.LITTLE_ENDIAN);
        if (file[6] == 1) {
            b.putShort(8, (short) length);
        } else {
            b.putInt(8, length);
        }
        return b.array();
    }

    private static byte[] replace(byte[] file, int index, char c) {
        byte[] out = file.clone();
        out[index] = (byte) c;
        return out;
    }

    /** A dict of {@code n} keys 'k0', 'k1', ... and none of the three numpy needs. */
    private static String manyKeys(int n) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < n; i++) {
            sb.append("'k").append(i).append("': ").append(i).append(", ");
        }
        return sb.append('}').toString();
    }

    /** A structured descr with {@code n} float64 fields 'f0', 'f1', ... */
    private static String fields(int n) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            sb.append("('f").append(i).append("', '<f8'), ");
        }
        return sb.append(']').toString();
    }

    /** A version 3.0 header with a latin-1 0xFF byte, which is never valid in UTF-8, inside the descr string. */
    private static byte[] nonUtf8Header() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("{'descr': '".getBytes(StandardCharsets.US_ASCII));
        out.write(0xFF);
        out.writeBytes("<f8', 'fortran_order': False, 'shape': (1,), }".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}
