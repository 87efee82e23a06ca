package dev.reparam.cuda;

/** The element types the CUDA kernels are compiled for; the suffix ends every kernel's symbol. */
public enum CudaDtype {
    FLOAT64("f64", Double.BYTES),
    FLOAT32("f32", Float.BYTES);

    private final String suffix;
    private final int bytes;

    CudaDtype(String suffix, int bytes) {
        this.suffix = suffix;
        this.bytes = bytes;
    }

    public String suffix() { return suffix; }

    public int bytes() { return bytes; }
}
