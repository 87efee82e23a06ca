package dev.reparam.cuda;

import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

import static dev.reparam.cuda.CudaCalls.check;

/**
 * {@link BlockPool} over cuMemAlloc and cuMemFree: the device side of the memory pool. Under the
 * CUDA interpreter its blocks have the exact size of each request (not the next power of two),
 * so that the interpreter's guard page sits right after every tensor.
 */
final class CudaMemoryPool {
    private CudaMemoryPool() {}

    static BlockPool<CUdeviceptr> create() {
        return new BlockPool<>(new BlockPool.Allocator<>() {
            @Override
            public CUdeviceptr allocate(long bytes) {
                CUdeviceptr p = new CUdeviceptr();
                int result = JCudaDriver.cuMemAlloc(p, bytes);
                if (result == CUresult.CUDA_ERROR_OUT_OF_MEMORY) {
                    // BlockPool frees its cached blocks, retries, and names the pool's usage if that fails too
                    throw new OutOfDeviceMemory("cuMemAlloc(" + bytes + " bytes) failed: CUDA_ERROR_OUT_OF_MEMORY");
                }
                check(result, "cuMemAlloc(" + bytes + " bytes)");
                return p;
            }

            @Override
            public void free(CUdeviceptr block) {
                check(JCudaDriver.cuMemFree(block), "cuMemFree");
            }
        }, CudaDriver.interpreted() ? BlockPool::exactBytes : BlockPool::classBytes);
    }
}
