package dev.reparam.experiments;

/** How much work a run does: {@code quick} for tests and a first look, {@code paper} for the reproduction. */
public enum Profile {
    QUICK, PAPER;

    public static Profile parse(String s) {
        for (Profile p : values()) if (p.name().equalsIgnoreCase(s)) return p;
        throw new IllegalArgumentException("unknown profile '" + s + "'; known: quick, paper");
    }
}
