package dev.reparam.sim.ns;

/**
 * Preconditioner of the CPU projection's conjugate-gradient solve. Each is a fixed SPD operator
 * built from the open-face mask alone, so all give the same projection (to the CG tolerance) and
 * differ only in iteration count and cost per iteration (docs/ns.md, "CPU preconditioner").
 */
public enum ProjectionPreconditioner {
    /** Plain CG. */
    NONE("plain"),
    /** Modified incomplete Cholesky, MIC(0): two sequential triangular sweeps per iteration. */
    MIC("mic"),
    /** Geometric multigrid V-cycle ({@link PoissonMultigrid}), the device's preconditioner. */
    MULTIGRID("mg");

    /**
     * The CPU default: multigrid, 8 CG iterations per solve instead of MIC(0)'s 54 and about 4x
     * less wall time end to end at 64 problems on 100 x 100 (docs/ns.md, "CPU preconditioner").
     */
    public static final ProjectionPreconditioner DEFAULT = MULTIGRID;

    private final String label;

    ProjectionPreconditioner(String label) {
        this.label = label;
    }

    /** The short name used on command lines: plain, mic or mg. */
    public String label() { return label; }

    /** Parses a command-line name (plain, mic, mg). */
    public static ProjectionPreconditioner parse(String name) {
        for (ProjectionPreconditioner p : values()) if (p.label.equals(name)) return p;
        throw new IllegalArgumentException("unknown CG preconditioner '" + name + "': expected plain, mic or mg");
    }
}
