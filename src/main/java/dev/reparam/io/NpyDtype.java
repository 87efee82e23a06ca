package dev.reparam.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * A readable element type: float64/float32/int32/int64 in either byte order, and uint8/bool.
 * Every type is converted to double on read; int64 values beyond 2^53 lose precision.
 */
enum NpyDtype {
    F8('f', 8), F4('f', 4), I4('i', 4), I8('i', 8), U1('u', 1), B1('b', 1);

    final char kind;
    final int itemSize;

    NpyDtype(char kind, int itemSize) {
        this.kind = kind;
        this.itemSize = itemSize;
    }

    /** Byte order of a descr such as '<f8'; one-byte types carry '|' and have none. */
    static ByteOrder order(String descr) {
        return descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    static NpyDtype parse(Path file, Object descr) {
        if (descr instanceof String s && s.length() >= 3) {
            char order = s.charAt(0);
            for (NpyDtype t : values()) {
                boolean orderOk = t.itemSize == 1 ? order == '|' : order == '<' || order == '>';
                if (orderOk && s.substring(1).equals("" + t.kind + t.itemSize)) {
                    return t;
                }
            }
        }
        throw new NpyFormatException(file, "unsupported dtype " + NpyFormatException.excerpt(NpyHeader.repr(descr))
                + " (supported: <f8 >f8 <f4 >f4 <i4 >i4 <i8 >i8 |u1 |b1)");
    }

    /** Converts {@code count} elements from {@code src} (already in the file's byte order) into {@code dst}. */
    void decode(ByteBuffer src, double[] dst, int offset, int count) {
        switch (this) {
            case F8 -> src.asDoubleBuffer().get(dst, offset, count);
            case F4 -> {
                var in = src.asFloatBuffer();
                for (int i = 0; i < count; i++) {
                    dst[offset + i] = in.get(i);
                }
            }
            case I4 -> {
                var in = src.asIntBuffer();
                for (int i = 0; i < count; i++) {
                    dst[offset + i] = in.get(i);
                }
            }
            case I8 -> {
                var in = src.asLongBuffer();
                for (int i = 0; i < count; i++) {
                    dst[offset + i] = in.get(i);
                }
            }
            case U1 -> {
                for (int i = 0; i < count; i++) {
                    dst[offset + i] = src.get(i) & 0xFF;
                }
            }
            case B1 -> {
                for (int i = 0; i < count; i++) {
                    dst[offset + i] = src.get(i) != 0 ? 1.0 : 0.0;
                }
            }
        }
    }
}
