package dev.reparam.report;

import java.util.List;
import java.util.Map;

/**
 * The paper's Table 2 (Holl & Thuerey): percent of problems where a network method with
 * refinement is better / equal than BFGS, mean over seeds and all n. Keyed by registry names;
 * the only place where experiment names are hard-coded, because these are reference numbers.
 */
public final class PaperTable2 {
    public record Cell(double better, double equal) {}

    private static final Map<String, String> LABELS = Map.of(
            "wavepacket", "Wave packet fit",
            "billiards", "Billiards",
            "kuramoto-sivashinsky", "Kuramoto–Sivashinsky",
            "navier-stokes", "Incompr. Navier-Stokes");

    private static final List<String> METHODS = List.of("reparam", "supervised", "neural-adjoint");

    private static final Map<String, List<Cell>> CELLS = Map.of(
            "wavepacket", List.of(new Cell(86.0, 1.8), new Cell(65.1, 14.4), new Cell(40.2, 47.4)),
            "billiards", List.of(new Cell(61.7, 9.0), new Cell(27.0, 27.2), new Cell(1.6, 98.4)),
            "kuramoto-sivashinsky", List.of(new Cell(62.3, 0.0), new Cell(57.7, 0.0), new Cell(23.9, 62.2)),
            "navier-stokes", List.of(new Cell(64.1, 0.0), new Cell(66.2, 0.1), new Cell(56.9, 0.1)));

    private PaperTable2() {}

    /** The paper's percentages, or null where the paper has no such cell. */
    public static Cell get(String experiment, String method) {
        List<Cell> row = CELLS.get(experiment);
        int i = METHODS.indexOf(method);
        return row == null || i < 0 ? null : row.get(i);
    }

    /** The methods the paper compares, in its column order. */
    public static List<String> methods() {
        return METHODS;
    }

    /** The paper's name of an experiment, or the registry name if the paper has none. */
    public static String label(String experiment) {
        return LABELS.getOrDefault(experiment, experiment);
    }
}
