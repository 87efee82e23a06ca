package dev.reparam.io;

/** The version from the jar manifest (set by Maven), or "dev" when running from classes; results record it. */
public final class Version {
    private Version() {}

    public static String get() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
