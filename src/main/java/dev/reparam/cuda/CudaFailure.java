package dev.reparam.cuda;

/** A CUDA driver call that did not return CUDA_SUCCESS; the message names the call and its arguments. */
public final class CudaFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int result;

    CudaFailure(int result, String message) {
        super(message);
        this.result = result;
    }

    /** The CUresult code. */
    public int result() {
        return result;
    }
}
