package dev.reparam.cuda;

/**
 * The device has no memory left for a request, even after the memory pool freed its cached
 * blocks: one message naming the request and the pool's usage (see BlockPool), not a JVM crash.
 */
public final class OutOfDeviceMemory extends RuntimeException {
    private static final long serialVersionUID = 1L;

    OutOfDeviceMemory(String message) {
        super(message);
    }

    OutOfDeviceMemory(String message, Throwable cause) {
        super(message, cause);
    }
}
