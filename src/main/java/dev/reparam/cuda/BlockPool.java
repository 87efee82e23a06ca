package dev.reparam.cuda;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The memory pool's bookkeeping, independent of the device so that it is tested without one:
 * requests are rounded up to a power-of-two size class, blocks handed back go on their class's
 * free list, and a request takes a free block of its class before anything is allocated. Once
 * an iteration has run, the next one finds every block it needs on the free lists: no
 * allocation inside iteration loops. When the allocator fails (out of memory), the free lists
 * are emptied back to it and the request is tried once more.
 *
 * @param <B> a block handle (a device pointer in {@link CudaMemoryPool})
 */
final class BlockPool<B> {
    /** Smallest class: 256 bytes, the alignment cuMemAlloc gives anyway. */
    static final long MIN_CLASS_BYTES = 256;

    /** Where blocks come from and go back to. */
    interface Allocator<B> {
        B allocate(long bytes);

        void free(B block);
    }

    /** A block and the size class it was allocated for. */
    record Block<B>(B handle, long classBytes) {}

    private final Allocator<B> allocator;
    private final Map<Long, ArrayDeque<B>> free = new HashMap<>();
    private long allocations, reuses, bytesAllocated, blocksInUse;

    BlockPool(Allocator<B> allocator) {
        this.allocator = allocator;
    }

    /** The size class of a request: the next power of two, at least {@link #MIN_CLASS_BYTES}. */
    static long classBytes(long bytes) {
        if (bytes < 0) throw new IllegalArgumentException("negative request " + bytes);
        if (bytes <= MIN_CLASS_BYTES) return MIN_CLASS_BYTES;
        return Long.highestOneBit(bytes - 1) << 1;
    }

    synchronized Block<B> acquire(long bytes) {
        long size = classBytes(bytes);
        blocksInUse++;
        ArrayDeque<B> list = free.get(size);
        if (list != null && !list.isEmpty()) {
            reuses++;
            return new Block<>(list.pop(), size);
        }
        B handle;
        try {
            handle = allocator.allocate(size);
        } catch (RuntimeException outOfMemory) {
            trim();
            try {
                handle = allocator.allocate(size);
            } catch (RuntimeException again) {
                blocksInUse--;
                throw again;
            }
        }
        allocations++;
        bytesAllocated += size;
        return new Block<>(handle, size);
    }

    /** Hands a block back for reuse; it must not be used afterwards. */
    synchronized void release(Block<B> block) {
        blocksInUse--;
        free.computeIfAbsent(block.classBytes(), k -> new ArrayDeque<>()).push(block.handle());
    }

    /** Frees every block on the free lists (blocks in use stay allocated). */
    synchronized void trim() {
        for (Map.Entry<Long, ArrayDeque<B>> e : free.entrySet()) {
            for (B b : e.getValue()) {
                allocator.free(b);
                bytesAllocated -= e.getKey();
            }
            e.getValue().clear();
        }
    }

    /** Counters for tests and reports: how often the allocator ran, how often a block was reused. */
    record Stats(long allocations, long reuses, long bytesAllocated, long blocksInUse) {}

    synchronized Stats stats() {
        return new Stats(allocations, reuses, bytesAllocated, blocksInUse);
    }
}
