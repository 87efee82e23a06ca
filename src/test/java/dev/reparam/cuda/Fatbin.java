package dev.reparam.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads an nvcc fatbin without a GPU or cuobjdump (which this CUDA install lacks): the fatbin's
 * entries, and for each ELF entry (a cubin) its global function symbols, which are the kernels.
 * Layout, little-endian: a 16-byte header (magic 0xBA55ED50, u16 version, u16 header size,
 * u64 size of the entries), then entries of {u16 kind (1 PTX, 2 ELF), u16, u32 header size,
 * u64 payload size, ..., u32 sm architecture at byte 28} each followed by its payload.
 * Compressed payloads are rejected: the build passes -no-compress.
 */
final class Fatbin {
    static final int MAGIC = 0xBA55ED50;
    static final int KIND_PTX = 1, KIND_ELF = 2;

    /** One entry: PTX or cubin, for sm architecture {@code arch} (80, 90), and the cubin's kernels. */
    record Entry(int kind, int arch, Set<String> kernels) {}

    private Fatbin() {}

    static List<Entry> read(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 16 || b.getInt(0) != MAGIC) throw new IllegalArgumentException("not a fatbin (bad magic)");
        int headerSize = Short.toUnsignedInt(b.getShort(6));
        long end = headerSize + b.getLong(8);
        if (end > bytes.length) throw new IllegalArgumentException("fatbin truncated: " + end + " > " + bytes.length);
        List<Entry> entries = new ArrayList<>();
        long at = headerSize;
        while (at < end) {
            int p = Math.toIntExact(at);
            int kind = Short.toUnsignedInt(b.getShort(p));
            long entryHeader = Integer.toUnsignedLong(b.getInt(p + 4));
            long payload = b.getLong(p + 8);
            int arch = b.getInt(p + 28);
            long start = at + entryHeader;
            if (start + payload > end || payload < 0) {
                throw new IllegalArgumentException("entry at " + at + " overruns the fatbin");
            }
            Set<String> kernels = kind == KIND_ELF
                    ? elfFunctions(ByteBuffer.wrap(bytes, Math.toIntExact(start), Math.toIntExact(payload)).slice()
                    .order(ByteOrder.LITTLE_ENDIAN)) : Set.of();
            entries.add(new Entry(kind, arch, kernels));
            at = start + payload;
        }
        return entries;
    }

    /** Names of the global FUNC symbols in an ELF64 cubin's symbol table. */
    static Set<String> elfFunctions(ByteBuffer elf) {
        if (elf.limit() < 64 || elf.getInt(0) != 0x464C457F) {
            throw new IllegalArgumentException("cubin is not an uncompressed ELF (was the fatbin built with "
                    + "-no-compress?)");
        }
        long sectionTable = elf.getLong(0x28);
        int sectionSize = Short.toUnsignedInt(elf.getShort(0x3A));
        int sections = Short.toUnsignedInt(elf.getShort(0x3C));
        Set<String> names = new TreeSet<>();
        for (int s = 0; s < sections; s++) {
            int h = Math.toIntExact(sectionTable + (long) s * sectionSize);
            if (elf.getInt(h + 4) != 2) continue; // SHT_SYMTAB
            long offset = elf.getLong(h + 24), size = elf.getLong(h + 32), entSize = elf.getLong(h + 56);
            int strings = Math.toIntExact(sectionTable + (long) elf.getInt(h + 40) * sectionSize);
            long strOffset = elf.getLong(strings + 24);
            for (long e = offset; e + entSize <= offset + size; e += entSize) {
                int sym = Math.toIntExact(e);
                int info = Byte.toUnsignedInt(elf.get(sym + 4));
                boolean globalFunction = (info & 0xF) == 2 && (info >> 4) == 1; // STT_FUNC, STB_GLOBAL
                if (globalFunction) {
                    names.add(cString(elf, Math.toIntExact(strOffset + Integer.toUnsignedLong(elf.getInt(sym)))));
                }
            }
        }
        return names;
    }

    private static String cString(ByteBuffer b, int at) {
        int end = at;
        while (b.get(end) != 0) end++;
        byte[] s = new byte[end - at];
        b.get(at, s);
        return new String(s, StandardCharsets.US_ASCII);
    }
}
