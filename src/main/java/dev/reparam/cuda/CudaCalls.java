package dev.reparam.cuda;

import jcuda.driver.CUresult;

/**
 * Checks driver return codes. JCuda's own exceptions stay disabled (its default) so that every
 * failure carries our description of what was being done, e.g. the kernel and its arguments.
 */
public final class CudaCalls {
    private CudaCalls() {}

    /** Throws a {@link CudaFailure} naming {@code what} unless {@code result} is CUDA_SUCCESS. */
    public static void check(int result, String what) {
        if (result != CUresult.CUDA_SUCCESS) {
            String detail = CudaDriver.failureDetail();
            throw new CudaFailure(result, what + " failed: " + CUresult.stringFor(result)
                    + (detail.isEmpty() ? "" : " (interpreter: " + detail + ")"));
        }
    }
}
