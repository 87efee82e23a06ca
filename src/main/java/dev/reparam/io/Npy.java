package dev.reparam.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads and writes numpy's NPY format (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html).
 * Reading accepts format versions 1.0-3.0 and the dtypes of {@link NpyDtype}; writing produces
 * version 1.0 files. Malformed files raise {@link NpyFormatException}; other I/O failures raise
 * {@link UncheckedIOException}.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** numpy aligns the data start to 64 bytes so that it can be memory-mapped. */
    private static final int ALIGN = 64;
    /** Data moves through a buffer of this size, so huge arrays never need a second full copy. */
    private static final int CHUNK_BYTES = 1 << 20;
    /** Guards against allocating a buffer for a corrupt length field; real headers are ~128 bytes. */
    private static final int MAX_HEADER_BYTES = 1 << 20;

    private Npy() {}

    public static NpyArray read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(file, ch);
        } catch (NoSuchFileException e) {
            throw new NpyFormatException(file, "missing file");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static NpyArray read(Path file, FileChannel ch) throws IOException {
        ByteBuffer pre = ByteBuffer.allocate(MAGIC.length + 2).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, pre);
        pre.flip();
        if (pre.limit() < MAGIC.length || !pre.slice(0, MAGIC.length).equals(ByteBuffer.wrap(MAGIC))) {
            throw new NpyFormatException(file, "not an NPY file (no \\x93NUMPY magic string)");
        }
        if (pre.limit() < MAGIC.length + 2) {
            throw new NpyFormatException(file, "truncated header: file ends after the magic string");
        }
        int major = pre.get(MAGIC.length);
        int minor = pre.get(MAGIC.length + 1);
        if (major < 1 || major > 3 || minor != 0) {
            throw new NpyFormatException(file, "unsupported NPY format version " + major + "." + minor);
        }
        // Version 1.0 stores the header length as uint16; 2.0 and 3.0 widened it to uint32.
        ByteBuffer lenBuf = ByteBuffer.allocate(major == 1 ? 2 : 4).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, lenBuf);
        if (lenBuf.hasRemaining()) {
            throw new NpyFormatException(file, "truncated header: header length field is cut off");
        }
        long headerLen = major == 1 ? Short.toUnsignedInt(lenBuf.getShort(0)) : Integer.toUnsignedLong(lenBuf.getInt(0));
        if (headerLen > MAX_HEADER_BYTES) {
            throw new NpyFormatException(file, "header length " + headerLen + " is implausibly large");
        }
        ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
        readFully(ch, headerBuf);
        if (headerBuf.hasRemaining()) {
            throw new NpyFormatException(file, "truncated header: expected " + headerLen + " bytes, found "
                    + headerBuf.position());
        }
        // Version 3.0 only changed the header encoding from latin-1 to UTF-8.
        String text = new String(headerBuf.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        NpyHeader header = NpyHeader.parse(file, text);
        NpyDtype dtype = NpyDtype.parse(file, header.descr);
        if (header.fortranOrder) {
            throw new NpyFormatException(file, "fortran_order arrays not supported (save a C-contiguous array)");
        }
        long expected = (long) header.size * dtype.itemSize;
        long found = ch.size() - ch.position();
        if (found < expected) {
            throw new NpyFormatException(file, "truncated data: expected " + expected + " bytes, found " + found);
        }
        double[] data = new double[header.size];
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(expected, CHUNK_BYTES)).order(NpyDtype.order((String) header.descr));
        for (int done = 0; done < data.length; ) {
            int n = Math.min(data.length - done, buf.capacity() / dtype.itemSize);
            buf.clear().limit(n * dtype.itemSize);
            readFully(ch, buf);
            dtype.decode(buf.flip(), data, done, n);
            done += n;
        }
        return NpyArray.wrap(data, header.shape);
    }

    /** Fills {@code buf} unless the file ends first; the caller checks what arrived. */
    private static void readFully(FileChannel ch, ByteBuffer buf) throws IOException {
        // A channel may return fewer bytes than asked for, so loop until full or end of file.
        while (buf.hasRemaining()) {
            if (ch.read(buf) < 0) {
                return;
            }
        }
    }

    /** Writes a version 1.0 float64 ('<f8') file. */
    public static void write(Path file, NpyArray array) {
        writeDoubles(file, array.dataRef(), array.shapeRef());
    }

    /** Writes {@code data} (C order) as a float64 array of the given shape; an empty shape means a scalar. */
    public static void write(Path file, double[] data, int... shape) {
        NpyArray.checkLength(data.length, shape);
        writeDoubles(file, data, shape);
    }

    /** Writes {@code data} (C order) as an int32 ('<i4') array of the given shape. */
    public static void writeInts(Path file, int[] data, int... shape) {
        NpyArray.checkLength(data.length, shape);
        write(file, "<i4", shape, 4, data.length, (buf, from, n) -> buf.asIntBuffer().put(data, from, n));
    }

    private static void writeDoubles(Path file, double[] data, int[] shape) {
        write(file, "<f8", shape, 8, data.length, (buf, from, n) -> buf.asDoubleBuffer().put(data, from, n));
    }

    /** Copies elements [from, from + n) into a little-endian buffer positioned at 0. */
    private interface ChunkFiller {
        void fill(ByteBuffer buf, int from, int n);
    }

    private static void write(Path file, String descr, int[] shape, int itemSize, int count, ChunkFiller filler) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeAll(ch, ByteBuffer.wrap(header(descr, shape)));
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min((long) count * itemSize, CHUNK_BYTES))
                    .order(ByteOrder.LITTLE_ENDIAN);
            for (int done = 0; done < count; ) {
                int n = Math.min(count - done, buf.capacity() / itemSize);
                buf.clear();
                filler.fill(buf, done, n);
                writeAll(ch, buf.limit(n * itemSize));
                done += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void writeAll(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    /** Magic, version 1.0, uint16 length and the dict, space-padded so the data starts on a 64-byte boundary. */
    static byte[] header(String descr, int[] shape) {
        StringBuilder dims = new StringBuilder();
        for (int d : shape) {
            dims.append(dims.length() == 0 ? "" : ", ").append(d);
        }
        // A one-element Python tuple needs a trailing comma: (3,) rather than (3).
        String tuple = "(" + dims + (shape.length == 1 ? ",)" : ")");
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + tuple + ", }";
        int prefix = MAGIC.length + 2 + 2;
        int total = (prefix + dict.length() + 1 + ALIGN - 1) / ALIGN * ALIGN;
        int headerLen = total - prefix;
        if (headerLen > 0xFFFF) {
            throw new IllegalArgumentException("shape of rank " + shape.length + " is too long for an NPY 1.0 header");
        }
        ByteBuffer out = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) headerLen);
        out.put(dict.getBytes(StandardCharsets.US_ASCII));
        while (out.position() < total - 1) {
            out.put((byte) ' ');
        }
        out.put((byte) '\n');
        return out.array();
    }
}
