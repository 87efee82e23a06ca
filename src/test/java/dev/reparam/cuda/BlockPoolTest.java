package dev.reparam.cuda;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
            if (live + bytes > capacity) throw new CudaFailure(2, "out of memory");
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
        assertThrows(CudaFailure.class, () -> pool.acquire(256)); // still full: the failure surfaces
        assertEquals(1, pool.stats().blocksInUse());
        pool.release(big);
    }
}
