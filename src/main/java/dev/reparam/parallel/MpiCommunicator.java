package dev.reparam.parallel;

import dev.reparam.io.ResourceFiles;

/**
 * MPI_COMM_WORLD through native/mpi/reparam_mpi.c (JNI over Open MPI). Calls are serialised:
 * the binding initialises MPI_THREAD_SERIALIZED, and reparam's collectives run on the thread
 * that drives the method, one at a time.
 */
public final class MpiCommunicator implements Communicator {
    static final String LIBRARY = "/mpi/libreparam-mpi.so";

    private final int rank, size;
    private long collectiveNanos;

    private MpiCommunicator() {
        init();
        rank = rank0();
        size = size0();
        // MPI_Finalize at a normal exit, so that mpirun does not report the ranks as failed
        Runtime.getRuntime().addShutdownHook(new Thread(MpiCommunicator::finishQuietly, "mpi-finalize"));
    }

    /** True when this build carries the binding (mpicc was on the PATH when it ran). */
    public static boolean isBuilt() {
        return MpiCommunicator.class.getResource(LIBRARY) != null;
    }

    /** Loads the binding and initialises MPI; once per process (Communicators.world). */
    static MpiCommunicator start() {
        if (!isBuilt()) {
            throw new IllegalStateException("this process runs under mpirun, but this build has no MPI binding "
                    + "(mpicc was not on the PATH when it was built; Debian: apt-get install libopenmpi-dev)");
        }
        System.load(ResourceFiles.asFile(MpiCommunicator.class, LIBRARY, "reparam-mpi").toString());
        return new MpiCommunicator();
    }

    private static void finishQuietly() {
        try {
            finish();
        } catch (IllegalStateException e) {
            // the run is ending anyway
        }
    }

    @Override
    public int rank() {
        return rank;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public synchronized void broadcast(double[] values) {
        long t = System.nanoTime();
        broadcast(values, 0);
        collectiveNanos += System.nanoTime() - t;
    }

    @Override
    public synchronized void sumInRankOrder(double[] values) {
        long t = System.nanoTime();
        // a reduce-scatter in rank order, then an all-gather (native/mpi/reparam_mpi.c)
        sumInRankOrder0(values);
        collectiveNanos += System.nanoTime() - t;
    }

    @Override
    public synchronized double[] gatherToRoot(double[] mine) {
        // every rank's length first, so rank 0 can size the result
        double[] lengths = new double[size];
        long t0 = System.nanoTime();
        allGather(new double[] {mine.length}, lengths);
        collectiveNanos += System.nanoTime() - t0;
        int[] counts = new int[size];
        long total = 0;
        for (int r = 0; r < size; r++) {
            counts[r] = (int) lengths[r];
            total += counts[r];
        }
        if (total > Integer.MAX_VALUE) throw new IllegalArgumentException("gather of " + total + " values");
        double[] all = new double[rank == 0 ? (int) total : 0];
        long t = System.nanoTime();
        gatherToFirst(mine, counts, all);
        collectiveNanos += System.nanoTime() - t;
        return all;
    }

    @Override
    public synchronized void barrier() {
        long t = System.nanoTime();
        barrier0();
        collectiveNanos += System.nanoTime() - t;
    }

    @Override
    public synchronized double collectiveSeconds() {
        return collectiveNanos * 1e-9;
    }

    @Override
    public void stopAll(int exitCode) {
        abort(exitCode);
        System.exit(exitCode); // MPI_Abort does not return; should it, the process still ends
    }

    private static native void init();

    private static native void finish();

    private static native int rank0();

    private static native int size0();

    private static native void broadcast(double[] values, int root);

    private static native void allGather(double[] mine, double[] all);

    private static native void sumInRankOrder0(double[] values);

    private static native void gatherToFirst(double[] mine, int[] counts, double[] all);

    private static native void barrier0();

    private static native void abort(int code);
}
