package dev.reparam.bench;

import dev.reparam.cuda.CudaBackend;
import jcuda.driver.CUevent;
import jcuda.driver.CUevent_flags;
import jcuda.driver.JCudaDriver;

import static dev.reparam.cuda.CudaCalls.check;

/**
 * Device time of the work an op queues: an event recorded on the backend's own stream (where
 * CudaBackend launches everything; its synchronous copies on the legacy default stream are
 * ordered with it, the stream being a blocking one) before and after the call,
 * then the elapsed time between them once the second has completed. Host-side launch overhead
 * counts only where it delays the device, as it would in an iteration. Resolution about 0.5 us.
 */
public final class CudaEventTimer implements OpTimer {
    private final CudaBackend backend;
    private final CUevent start = new CUevent(), stop = new CUevent();

    public CudaEventTimer(CudaBackend backend) {
        this.backend = backend;
        check(JCudaDriver.cuEventCreate(start, CUevent_flags.CU_EVENT_DEFAULT), "cuEventCreate(start)");
        check(JCudaDriver.cuEventCreate(stop, CUevent_flags.CU_EVENT_DEFAULT), "cuEventCreate(stop)");
    }

    @Override
    public double seconds(Runnable op) {
        check(JCudaDriver.cuEventRecord(start, backend.stream()), "cuEventRecord(start)");
        op.run();
        check(JCudaDriver.cuEventRecord(stop, backend.stream()), "cuEventRecord(stop)");
        check(JCudaDriver.cuEventSynchronize(stop), "cuEventSynchronize(stop) after a benchmarked op on "
                + backend.name());
        float[] ms = {0};
        check(JCudaDriver.cuEventElapsedTime(ms, start, stop), "cuEventElapsedTime");
        return ms[0] * 1e-3;
    }

    @Override
    public String method() {
        return "CUDA events on the backend's stream around each call";
    }

    @Override
    public void close() {
        check(JCudaDriver.cuEventDestroy(start), "cuEventDestroy(start)");
        check(JCudaDriver.cuEventDestroy(stop), "cuEventDestroy(stop)");
    }
}
