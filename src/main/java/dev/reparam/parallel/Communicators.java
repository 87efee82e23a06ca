package dev.reparam.parallel;

import java.util.Map;

/**
 * The seam that decides whether this process is one rank of an MPI run: under mpirun (Open MPI
 * sets OMPI_COMM_WORLD_SIZE; PMIx launchers such as srun set PMIX_RANK) it is, and the binding
 * is loaded; a process started without a launcher never touches MPI and behaves as before.
 */
public final class Communicators {
    private static Communicator world;

    private Communicators() {}

    /** True when a launcher started this process as one of a world of several. */
    public static boolean launchedByMpi(Map<String, String> env) {
        return env.containsKey("OMPI_COMM_WORLD_SIZE") || env.containsKey("PMIX_RANK");
    }

    /** This process's world: MPI's under a launcher, else {@link SingleProcess}. Initialised once. */
    public static synchronized Communicator world() {
        if (world == null) world = launchedByMpi(System.getenv()) ? MpiCommunicator.start() : SingleProcess.INSTANCE;
        return world;
    }

    /** How many ranks share this node (Open MPI's OMPI_COMM_WORLD_LOCAL_SIZE); 1 for a single process. */
    public static int localSize(Map<String, String> env) {
        return Math.max(1, count(env, "OMPI_COMM_WORLD_LOCAL_SIZE", 1));
    }

    /**
     * This process's index among the ranks of its node (Open MPI's OMPI_COMM_WORLD_LOCAL_RANK, or
     * SLURM_LOCALID under srun); 0 for a single process. It picks the rank's GPU.
     */
    public static int localRank(Map<String, String> env) {
        return count(env, "OMPI_COMM_WORLD_LOCAL_RANK", count(env, "SLURM_LOCALID", 0));
    }

    private static int count(Map<String, String> env, String name, int absent) {
        String v = env.get(name);
        if (v == null) return absent;
        try {
            int c = Integer.parseInt(v.strip());
            if (c < 0) throw new NumberFormatException();
            return c;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is not a count: '" + v + "'");
        }
    }
}
