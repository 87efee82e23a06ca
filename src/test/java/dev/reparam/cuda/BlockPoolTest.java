package dev.reparam.cuda;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The memory pool's bookkeeping, with a counting allocator in place of cuMemAlloc (no GPU needed). */
class BlockPoolTest {
    /** Hands out numbered blocks, fails when {@code capacity} bytes would be exceeded, records frees. */
    private static final class CountingAllocator implements BlockPool.Allocator<long[]> {
        final long capacity;
        long live;
        final List<long[]> freed = new ArrayList<>();

        CountingAllocator(long capacity) {
            this.capacity = capacity;
        }

        @Override
        public long[] allocate(long bytes) {
            if (live + bytes > capacity) throw new OutOfDeviceMemory("cuMemAlloc(" + bytes + " bytes) failed");
            live += bytes;
            return new long[] {bytes};
        }

        @Override
        public void free(long[] block) {
            live -= block[0];
            freed.add(block);
        }
    }

    @Test
    void sizeClassesArePowersOfTwoFromTheMinimum() {
        assertEquals(256, BlockPool.classBytes(0));
        assertEquals(256, BlockPool.classBytes(256));
        assertEquals(512, BlockPool.classBytes(257));
        assertEquals(1L << 20, BlockPool.classBytes((1L << 20) - 1));
        assertEquals(1L << 20, BlockPool.classBytes(1L << 20));
        assertEquals(1L << 33, BlockPool.classBytes((1L << 32) + 1));
        assertThrows(IllegalArgumentException.class, () -> BlockPool.classBytes(-1));
    }

    @Test
    void aReleasedBlockIsReusedByTheNextRequestOfItsClass() {
        BlockPool<long[]> pool = new BlockPool<>(new CountingAllocator(Long.MAX_VALUE));
        BlockPool.Block<long[]> a = pool.acquire(1000);
        pool.release(a);
        BlockPool.Block<long[]> b = pool.acquire(900); // same 1024-byte class
        assertSame(a.handle(), b.handle());
        BlockPool.Block<long[]> c = pool.acquire(3000); // other class: a new block
        assertNotSame(a.handle(), c.handle());
        assertEquals(new BlockPool.Stats(2, 1, 1024 + 4096, 2), pool.stats());
    }

    @Test
    void repeatedIterationsStopAllocatingAfterTheFirst() {
        BlockPool<long[]> pool = new BlockPool<>(new CountingAllocator(Long.MAX_VALUE));
        long[] sizes = {8, 800, 8000, 800, 64_000, 8};
        for (int iteration = 0; iteration < 5; iteration++) {
            List<BlockPool.Block<long[]>> live = new ArrayList<>();
            for (long s : sizes) live.add(pool.acquire(s));
            live.forEach(pool::release);
            assertEquals(sizes.length, pool.stats().allocations(), "allocations after iteration " + iteration);
        }
        assertEquals(4 * sizes.length, pool.stats().reuses());
        assertEquals(0, pool.stats().blocksInUse());
    }

    /** A simulator's long-lived buffers: exact size, counted as in use, freed (not cached) on release. */
    @Test
    void aDedicatedBlockHasTheExactSizeAndIsFreedOnRelease() {
        CountingAllocator device = new CountingAllocator(Long.MAX_VALUE);
        BlockPool<long[]> pool = new BlockPool<>(device);
        BlockPool.Block<long[]> a = pool.acquireDedicated(1000);
        assertEquals(1000, a.classBytes());
        assertEquals(1, BlockPool.exactBytes(0), "an empty buffer still gets a pointer");
        assertEquals(new BlockPool.Stats(1, 0, 1000, 1), pool.stats());
        pool.release(a);
        assertEquals(0, device.live, "freed to the allocator at once");
        assertSame(a.handle(), device.freed.get(0));
        pool.release(a); // a second close of its buffer
        assertEquals(1, device.freed.size(), "freed once");
        BlockPool.Block<long[]> b = pool.acquireDedicated(1000);
        assertNotSame(a.handle(), b.handle(), "never taken from a free list");
        assertEquals(new BlockPool.Stats(2, 0, 1000, 1), pool.stats());
    }

    @Test
    void aDedicatedBlockBelongsToNoScope() {
        CountingAllocator device = new CountingAllocator(Long.MAX_VALUE);
        BlockPool<long[]> pool = new BlockPool<>(device);
        BlockPool.Block<long[]> kept;
        try (BlockPool<long[]>.Scope iteration = pool.openScope()) {
            pool.acquire(100);
            kept = pool.acquireDedicated(100);
            assertEquals(1, iteration.blockCount());
        }
        assertEquals(1, pool.stats().blocksInUse(), "the scope's end leaves the dedicated block in use");
        pool.release(kept);
        assertEquals(0, pool.stats().blocksInUse());
    }

    @Test
    void aDedicatedRequestMakesRoomByFreeingCachedBlocks() {
        CountingAllocator device = new CountingAllocator(4096);
        BlockPool<long[]> pool = new BlockPool<>(device);
        pool.release(pool.acquire(4096)); // cached on a free list, still allocated
        BlockPool.Block<long[]> d = pool.acquireDedicated(3000);
        assertEquals(3000, device.live, "the cached block went back to make room");
        pool.release(d);
        pool.release(pool.acquire(4096));
        OutOfDeviceMemory e = assertThrows(OutOfDeviceMemory.class, () -> pool.acquireDedicated(5000));
        assertTrue(e.getMessage().contains("a request of 5000 bytes"), e.getMessage());
    }

    @Test
    void outOfMemoryFreesTheCachedBlocksAndRetriesOnce() {
        CountingAllocator device = new CountingAllocator(4096);
        BlockPool<long[]> pool = new BlockPool<>(device);
        pool.release(pool.acquire(2048));
        pool.release(pool.acquire(1024));
        BlockPool.Block<long[]> big = pool.acquire(4096); // fits only after the cached 3 KB is freed
        assertEquals(2, device.freed.size());
        assertEquals(4096, device.live);
        assertEquals(new BlockPool.Stats(3, 0, 4096, 1), pool.stats());
        OutOfDeviceMemory full = assertThrows(OutOfDeviceMemory.class, () -> pool.acquire(100)); // still full
        assertEquals("out of GPU memory: a request of 100 bytes (size class 256) failed with 4096 bytes in 1 blocks"
                + " in use by this backend's memory pool, after freeing 0 cached bytes and retrying: use fewer "
                + "problems," + " float32, or a larger GPU", full.getMessage());
        assertEquals(1, pool.stats().blocksInUse());
        pool.release(big);
    }

    @Test
    void otherAllocatorFailuresAreNotRetried() {
        int[] calls = {0};
        BlockPool<long[]> pool = new BlockPool<>(new BlockPool.Allocator<>() {
            @Override
            public long[] allocate(long bytes) {
                calls[0]++;
                throw new CudaFailure(1, "cuMemAlloc failed: CUDA_ERROR_INVALID_VALUE");
            }

            @Override
            public void free(long[] block) {}
        });
        assertThrows(CudaFailure.class, () -> pool.acquire(10));
        assertEquals(1, calls[0]);
        assertEquals(0, pool.stats().blocksInUse());
    }

    @Test
    void iterationsInScopesAllocateOnlyInTheFirst() {
        BlockPool<long[]> pool = new BlockPool<>(new CountingAllocator(Long.MAX_VALUE));
        BlockPool.Block<long[]> params = pool.acquire(4000); // long-lived, made before the loop
        long[] sizes = {8, 800, 8000, 800, 64_000, 8};
        for (int iteration = 0; iteration < 5; iteration++) {
            try (BlockPool<long[]>.Scope scope = pool.openScope()) {
                for (long s : sizes) pool.acquire(s); // temporaries nobody hands back explicitly
                assertEquals(sizes.length, scope.blockCount());
                assertEquals(1 + sizes.length, pool.stats().blocksInUse());
            }
            assertEquals(1, pool.stats().blocksInUse(), "after iteration " + iteration);
            assertEquals(1 + sizes.length, pool.stats().allocations(), "allocations after iteration " + iteration);
        }
        pool.release(params);
        assertEquals(0, pool.stats().blocksInUse());
    }

    @Test
    void aScopedBlockStaysReservedUntilItsScopeIsReleased() {
        BlockPool<long[]> pool = new BlockPool<>(new CountingAllocator(Long.MAX_VALUE));
        BlockPool<long[]>.Scope graph = pool.openScope();
        BlockPool.Block<long[]> inGraph = pool.acquire(1000);
        pool.release(inGraph); // an explicit release (or the garbage collector) inside the iteration: ignored
        graph.end(); // a captured graph keeps its blocks after the capture ends
        BlockPool.Block<long[]> later = pool.acquire(1000);
        assertNotSame(inGraph.handle(), later.handle(), "a block the graph addresses was handed out again");
        graph.release();
        graph.release(); // idempotent
        assertSame(inGraph.handle(), pool.acquire(1000).handle());
        assertEquals(2, pool.stats().blocksInUse());
    }

    @Test
    void unscopedBlocksOutliveTheScopeTheyWereMadeIn() {
        BlockPool<long[]> pool = new BlockPool<>(new CountingAllocator(Long.MAX_VALUE));
        BlockPool.Block<long[]> constant;
        try (BlockPool<long[]>.Scope scope = pool.openScope()) {
            pool.acquire(10);
            constant = pool.acquireUnscoped(10);
            assertEquals(1, scope.blockCount());
        }
        assertEquals(1, pool.stats().blocksInUse());
        assertNotSame(constant.handle(), pool.acquire(10).handle());
        pool.release(constant);
        pool.release(constant); // a second release (explicit, then the garbage collector) does nothing
        assertEquals(1, pool.stats().blocksInUse());
    }

    @Test
    void scopesEndInnermostFirst() {
        BlockPool<long[]> pool = new BlockPool<>(new CountingAllocator(Long.MAX_VALUE));
        BlockPool<long[]>.Scope outer = pool.openScope();
        BlockPool<long[]>.Scope inner = pool.openScope();
        pool.acquire(10);
        assertThrows(IllegalStateException.class, outer::end);
        assertEquals(1, inner.blockCount());
        assertEquals(0, outer.blockCount());
        inner.close();
        outer.close();
        assertEquals(0, pool.stats().blocksInUse());
    }
}
