package dev.reparam.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;

/**
 * Reads and writes numpy's NPY format (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html).
 * Reading accepts format versions 1.0-3.0 and the dtypes of {@link NpyDtype}; writing produces
 * version 1.0 files. Malformed files, and arrays too large for this JVM, raise {@link NpyFormatException};
 * other I/O failures raise {@link UncheckedIOException}. Both carry a one-line message naming the file
 * and the problem.
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
        return reading(file, ch -> read(file, ch, 0, -1));
    }

    /**
     * Rows [start, end) of the array, the first axis being the row: an MPI rank's part of a file
     * every rank reads. The whole file is checked as {@link #read} checks it, but only these rows
     * are read and held; the result has shape [end - start, ...].
     */
    public static NpyArray readRows(Path file, int start, int end) {
        if (start < 0 || end < start) throw new IllegalArgumentException("rows [" + start + ", " + end + ")");
        return reading(file, ch -> read(file, ch, start, end));
    }

    /** The array's shape, from its header alone. */
    public static int[] shape(Path file) {
        return reading(file, ch -> readHeader(file, ch).header().shape.clone());
    }

    private interface ChannelRead<T> {
        T apply(FileChannel ch) throws IOException;
    }

    /** {@code read} on the open file, its failures turned into one line naming the file. */
    private static <T> T reading(Path file, ChannelRead<T> read) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read.apply(ch);
        } catch (NoSuchFileException e) {
            throw new NpyFormatException(file, "missing file");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + reason(e), e);
        }
    }

    /** The OS's words for an I/O failure, such as "Is a directory"; the caller supplies the file name. */
    static String reason(IOException e) {
        if (e instanceof FileSystemException fse) {
            if (fse.getReason() != null) {
                return fse.getReason();
            }
            // The JDK creates these two without a reason; their message would repeat only the path.
            if (e instanceof AccessDeniedException) {
                return "Permission denied";
            }
            if (e instanceof NoSuchFileException) {
                return "No such file or directory";
            }
            return e.getClass().getSimpleName();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private record Parsed(NpyHeader header, NpyDtype dtype) {}

    private static Parsed readHeader(Path file, FileChannel ch) throws IOException {
        ByteBuffer pre = ByteBuffer.allocate(MAGIC.length + 2).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, pre);
        pre.flip();
        int n = Math.min(pre.limit(), MAGIC.length);
        if (!pre.slice(0, n).equals(ByteBuffer.wrap(MAGIC, 0, n))) {
            throw new NpyFormatException(file, "not an NPY file (no \\x93NUMPY magic string)");
        }
        if (n == 0) {
            throw new NpyFormatException(file, "not an NPY file (the file is empty)");
        }
        if (n < MAGIC.length) {
            throw new NpyFormatException(file, "not an NPY file (it ends after " + n
                    + " bytes, inside the magic string)");
        }
        if (pre.limit() < MAGIC.length + 2) {
            throw new NpyFormatException(file, "truncated header: file ends after the magic string");
        }
        int major = Byte.toUnsignedInt(pre.get(MAGIC.length));
        int minor = Byte.toUnsignedInt(pre.get(MAGIC.length + 1));
        if (major < 1 || major > 3 || minor != 0) {
            throw new NpyFormatException(file, "unsupported NPY format version " + major + "." + minor);
        }
        // Version 1.0 stores the header length as uint16; 2.0 and 3.0 widened it to uint32.
        ByteBuffer lenBuf = ByteBuffer.allocate(major == 1 ? 2 : 4).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, lenBuf);
        if (lenBuf.hasRemaining()) {
            throw new NpyFormatException(file, "truncated header: header length field is cut off");
        }
        long headerLen = major == 1 ? Short.toUnsignedInt(lenBuf.getShort(0))
                : Integer.toUnsignedLong(lenBuf.getInt(0));
        if (headerLen > MAX_HEADER_BYTES) {
            throw new NpyFormatException(file, "header length " + headerLen
                    + " is implausibly large (limit " + MAX_HEADER_BYTES + ")");
        }
        ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
        readFully(ch, headerBuf);
        if (headerBuf.hasRemaining()) {
            throw new NpyFormatException(file, "truncated header: expected " + headerLen + " bytes, found "
                    + headerBuf.position());
        }
        NpyHeader header = NpyHeader.parse(file, headerText(file, headerBuf.array(), major));
        NpyDtype dtype = NpyDtype.parse(file, header.descr);
        if (header.fortranOrder) {
            throw new NpyFormatException(file, "fortran_order arrays not supported (save a C-contiguous array)");
        }
        return new Parsed(header, dtype);
    }

    /** Rows [start, end) of the file, or all of it when end < 0. */
    private static NpyArray read(Path file, FileChannel ch, int start, int end) throws IOException {
        Parsed p = readHeader(file, ch);
        NpyHeader header = p.header();
        NpyDtype dtype = p.dtype();
        long expected = (long) header.size * dtype.itemSize;
        long found = ch.size() - ch.position();
        // Bytes after the data are ignored, as numpy's np.load does.
        if (found < expected) {
            throw new NpyFormatException(file, "truncated data: expected " + expected + " bytes, found " + found);
        }
        int[] shape = header.shape;
        int values = header.size;
        if (end >= 0) {
            if (shape.length == 0 || end > shape[0]) {
                throw new NpyFormatException(file, "rows [" + start + ", " + end + ") asked of an array of shape "
                        + Arrays.toString(shape));
            }
            int rows = shape[0], perRow = rows == 0 ? 0 : header.size / rows;
            shape = shape.clone();
            shape[0] = end - start;
            values = (end - start) * perRow;
            ch.position(ch.position() + (long) start * perRow * dtype.itemSize);
        }
        double[] data = allocate(file, values);
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(expected, CHUNK_BYTES))
                .order(NpyDtype.order((String) header.descr));
        for (int done = 0; done < data.length; ) {
            int count = Math.min(data.length - done, buf.capacity() / dtype.itemSize);
            buf.clear().limit(count * dtype.itemSize);
            readFully(ch, buf);
            if (buf.hasRemaining()) {
                // The size check passed, so another process cut the file while we read it.
                throw new NpyFormatException(file, "truncated data: the file shrank while being read");
            }
            dtype.decode(buf.flip(), data, done, count);
            done += count;
        }
        return NpyArray.wrap(data, shape);
    }

    /** Version 1.0 and 2.0 headers are latin-1; 3.0 only changed the encoding to UTF-8. */
    private static String headerText(Path file, byte[] bytes, int major) {
        if (major < 3) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
        // new String(bytes, UTF_8) would silently turn bad bytes into U+FFFD; numpy refuses them.
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        var decoder = StandardCharsets.UTF_8.newDecoder();
        CoderResult r = decoder.decode(in, out, true);
        if (!r.isError()) {
            r = decoder.flush(out);
        }
        if (r.isError()) {
            throw new NpyFormatException(file, "version 3.0 header is not valid UTF-8 (at header byte "
                    + in.position() + ")");
        }
        return out.flip().toString();
    }

    /**
     * The array for {@code count} elements, refused with a message when the heap cannot take it: a file
     * that claims gigabytes (perhaps sparse, so it costs no disk) must not end in OutOfMemoryError.
     */
    private static double[] allocate(Path file, int count) {
        long needed = 8L * count;
        Runtime rt = Runtime.getRuntime();
        // Garbage not yet collected counts as used, so this errs towards refusing.
        long available = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (needed > available) {
            throw tooLarge(file, count, needed, available);
        }
        try {
            return new double[count];
        } catch (OutOfMemoryError e) {
            // Other threads may have taken the memory since the check, or the free heap is too fragmented.
            throw tooLarge(file, count, needed, rt.maxMemory() - (rt.totalMemory() - rt.freeMemory()));
        }
    }

    private static NpyFormatException tooLarge(Path file, int count, long needed, long available) {
        return new NpyFormatException(file, count + " elements need " + bytes(needed)
                + " of memory as float64; this JVM may use " + bytes(available)
                + " more: raise -Xmx or pass a smaller file");
    }

    private static String bytes(long n) {
        return n >= 1e9 ? String.format(Locale.ROOT, "%.1f GB", n / 1e9)
                : String.format(Locale.ROOT, "%.0f MB", n / 1e6);
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
            throw new UncheckedIOException("cannot write " + file + ": " + reason(e), e);
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
