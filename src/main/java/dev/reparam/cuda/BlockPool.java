package dev.reparam.cuda;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongUnaryOperator;

/**
 * The memory pool's bookkeeping, independent of the device so that it is tested without one:
 * requests are rounded up to a power-of-two size class, blocks handed back go on their class's
 * free list, and a request takes a free block of its class before anything is allocated. When
 * the allocator runs out of memory, the free lists are emptied back to it and the request is
 * tried once more; a second failure is one {@link OutOfDeviceMemory} naming the request and
 * what the pool holds.
 *
 * <p>Iterations run inside a {@link Scope}: every block acquired while a scope is open belongs
 * to it and goes back to the free lists only when the scope is released, whatever else tries to
 * hand it back earlier (an explicit release, the garbage collector). So an iteration's
 * temporaries are recycled deterministically at its end, the next iteration finds each of them
 * on a free list (no allocation in the steady state), and a captured CUDA graph can keep its
 * scope's blocks, whose addresses are baked into the graph, for as long as it is replayed.
 *
 * <p>Long-lived device state of odd sizes (a simulator's checkpoints and work arrays, L-BFGS
 * histories) takes {@linkplain #acquireDedicated dedicated} blocks: exactly the size asked for,
 * in no scope, and freed to the allocator when released rather than cached, so they neither
 * round up to a power of two nor sit on a free list no other request fits. They still count in
 * the pool's usage and share its out-of-memory path, so every device allocation of a backend
 * goes through one pool.
 *
 * @param <B> a block handle (a device pointer in {@link CudaMemoryPool})
 */
final class BlockPool<B> {
    /** Smallest class: 256 bytes, the alignment cuMemAlloc gives anyway. */
    static final long MIN_CLASS_BYTES = 256;

    /**
     * Where blocks come from and go back to; {@code allocate} throws {@link OutOfDeviceMemory} when the device is full.
     */
    interface Allocator<B> {
        B allocate(long bytes);

        void free(B block);
    }

    /** A block and the size class it was allocated for; handed back at most once. */
    static final class Block<B> {
        private final B handle;
        private final long classBytes;
        /** Owned by a scope, which alone hands it back. */
        private final boolean scoped;
        /** Freed to the allocator when released, never cached. */
        private final boolean dedicated;
        private boolean live = true;

        private Block(B handle, long classBytes, boolean scoped, boolean dedicated) {
            this.handle = handle;
            this.classBytes = classBytes;
            this.scoped = scoped;
            this.dedicated = dedicated;
        }

        B handle() { return handle; }

        long classBytes() { return classBytes; }
    }

    private final Allocator<B> allocator;
    private final LongUnaryOperator sizing;
    private final Map<Long, ArrayDeque<B>> free = new HashMap<>();
    private final ArrayDeque<Scope> openScopes = new ArrayDeque<>();
    private long allocations, reuses, bytesAllocated, blocksInUse, bytesInUse;

    BlockPool(Allocator<B> allocator) {
        this(allocator, BlockPool::classBytes);
    }

    /**
     * A pool whose size class of a request is {@code sizing} of it: {@link #classBytes} (powers of
     * two) normally, {@link #exactBytes} under the CUDA interpreter, whose memory check then sees
     * an access past the end of a tensor instead of landing in the rest of a rounded-up block.
     */
    BlockPool(Allocator<B> allocator, LongUnaryOperator sizing) {
        this.allocator = allocator;
        this.sizing = sizing;
    }

    /** The size class of a request: the next power of two, at least {@link #MIN_CLASS_BYTES}. */
    static long classBytes(long bytes) {
        if (bytes < 0) throw new IllegalArgumentException("negative request " + bytes);
        if (bytes <= MIN_CLASS_BYTES) return MIN_CLASS_BYTES;
        return Long.highestOneBit(bytes - 1) << 1;
    }

    /** Exact size classes (at least one byte, for an empty tensor): one free list per request size. */
    static long exactBytes(long bytes) {
        if (bytes < 0) throw new IllegalArgumentException("negative request " + bytes);
        return Math.max(1, bytes);
    }

    /** A block of at least {@code bytes}, owned by the innermost open scope if there is one. */
    synchronized Block<B> acquire(long bytes) {
        return acquire(bytes, openScopes.peek());
    }

    /** A block that belongs to no scope (long-lived state: parameters, constants, caches). */
    synchronized Block<B> acquireUnscoped(long bytes) {
        return acquire(bytes, null);
    }

    /** A block of exactly {@code bytes} (at least one) in no scope, freed to the allocator on release. */
    synchronized Block<B> acquireDedicated(long bytes) {
        long size = exactBytes(bytes);
        return inUse(new Block<>(allocate(bytes, size), size, false, true));
    }

    private Block<B> acquire(long bytes, Scope owner) {
        long size = sizing.applyAsLong(bytes);
        Block<B> block = inUse(new Block<>(takeOrAllocate(bytes, size), size, owner != null, false));
        if (owner != null) owner.blocks.add(block);
        return block;
    }

    private Block<B> inUse(Block<B> block) {
        blocksInUse++;
        bytesInUse += block.classBytes;
        return block;
    }

    private B takeOrAllocate(long requested, long size) {
        ArrayDeque<B> list = free.get(size);
        if (list != null && !list.isEmpty()) {
            reuses++;
            return list.pop();
        }
        return allocate(requested, size);
    }

    /** A new block from the allocator; when it is full, the free lists go back to it and it is asked once more. */
    private B allocate(long requested, long size) {
        B handle;
        try {
            handle = allocator.allocate(size);
        } catch (OutOfDeviceMemory full) {
            long cached = trim();
            try {
                handle = allocator.allocate(size);
            } catch (OutOfDeviceMemory again) {
                throw new OutOfDeviceMemory(outOfMemoryMessage(requested, size, bytesInUse, blocksInUse, cached),
                        again);
            }
        }
        allocations++;
        bytesAllocated += size;
        return handle;
    }

    /** The one line an exhausted device gives, with what the pool itself holds. */
    static String outOfMemoryMessage(long requested, long classBytes, long bytesInUse, long blocksInUse,
            long freedCached) {
        return "out of GPU memory: a request of " + requested + " bytes (size class " + classBytes + ") failed with "
                + bytesInUse + " bytes in " + blocksInUse
                + " blocks in use by this backend's memory pool, after freeing "
                + freedCached + " cached bytes and retrying: use fewer problems, float32, or a larger GPU";
    }

    /**
     * Hands a block back for reuse; it must not be used afterwards. A block owned by a scope
     * stays reserved until that scope is released, so this is a no-op for it; a second
     * release of the same block is a no-op too (explicit release, then the garbage collector).
     */
    synchronized void release(Block<B> block) {
        if (block.scoped) return;
        giveBack(block);
    }

    private void giveBack(Block<B> block) {
        if (!block.live) return;
        block.live = false;
        blocksInUse--;
        bytesInUse -= block.classBytes;
        if (block.dedicated) {
            allocator.free(block.handle);
            bytesAllocated -= block.classBytes;
        } else {
            free.computeIfAbsent(block.classBytes, k -> new ArrayDeque<>()).push(block.handle);
        }
    }

    /** Opens a scope: blocks acquired until {@link Scope#end} belong to it. Scopes nest. */
    synchronized Scope openScope() {
        Scope s = new Scope();
        openScopes.push(s);
        return s;
    }

    /**
     * The blocks of one iteration (or of one captured graph). {@link #end} stops collecting;
     * {@link #release} hands every block back; {@link #close} does both.
     */
    final class Scope implements AutoCloseable {
        private final List<Block<B>> blocks = new ArrayList<>();
        private boolean ended, released;

        /** Stops collecting blocks; must be the innermost open scope. The blocks stay reserved. */
        void end() {
            synchronized (BlockPool.this) {
                if (ended) return;
                if (openScopes.peek() != this) {
                    throw new IllegalStateException("memory scopes must end innermost first");
                }
                openScopes.pop();
                ended = true;
            }
        }

        /** Hands every block of this scope back to the free lists (ends it first if needed). */
        void release() {
            synchronized (BlockPool.this) {
                end();
                if (released) return;
                released = true;
                for (int i = blocks.size() - 1; i >= 0; i--) giveBack(blocks.get(i));
                blocks.clear();
            }
        }

        int blockCount() {
            synchronized (BlockPool.this) {
                return blocks.size();
            }
        }

        @Override
        public void close() {
            release();
        }
    }

    /** Frees every block on the free lists (blocks in use stay allocated); returns the bytes freed. */
    synchronized long trim() {
        long freed = 0;
        for (Map.Entry<Long, ArrayDeque<B>> e : free.entrySet()) {
            for (B b : e.getValue()) {
                allocator.free(b);
                bytesAllocated -= e.getKey();
                freed += e.getKey();
            }
            e.getValue().clear();
        }
        return freed;
    }

    /** Counters for tests and reports: how often the allocator ran, how often a block was reused. */
    record Stats(long allocations, long reuses, long bytesAllocated, long blocksInUse) {}

    synchronized Stats stats() {
        return new Stats(allocations, reuses, bytesAllocated, blocksInUse);
    }
}
