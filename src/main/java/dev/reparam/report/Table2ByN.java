package dev.reparam.report;

import dev.reparam.inverse.Bfgs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Table 2 per n: for each experiment, network method and n, the better / equal shares against
 * BFGS as means over that n's seeds (the cells {@link Table2} then averages over n), refined
 * and unrefined. Shows where in n a method gains or loses, which the mean over n hides.
 */
public final class Table2ByN {
    /** One (experiment, method, n) cell: percent, means over {@code seeds} runs. */
    public record Cell(String experiment, String method, int n, int seeds, double better, double equal,
                       double unrefinedBetter, double unrefinedEqual) {}

    /** The paper's methods in its order, then any other by name. */
    private static final Comparator<String> METHOD_ORDER = Comparator
            .comparingInt((String m) -> PaperTable2.methods().contains(m) ? PaperTable2.methods().indexOf(m)
                    : Integer.MAX_VALUE)
            .thenComparing(Comparator.naturalOrder());

    private Table2ByN() {}

    /** Every (experiment, method, n) with runs, in experiment, method and n order. */
    public static List<Cell> compute(List<RunRecord> records) {
        Map<String, Map<String, Map<Integer, List<RunRecord.Scores>>>> grouped = new TreeMap<>();
        for (RunRecord r : records) {
            r.methods().forEach((method, scores) -> {
                if (method.equals(Bfgs.NAME)) return;
                grouped.computeIfAbsent(r.experiment(), k -> new TreeMap<>(METHOD_ORDER))
                        .computeIfAbsent(method, k -> new TreeMap<>())
                        .computeIfAbsent(r.n(), k -> new ArrayList<>()).add(scores);
            });
        }
        List<Cell> cells = new ArrayList<>();
        grouped.forEach((exp, methods) -> methods.forEach((method, byN) -> byN.forEach((n, s) ->
                cells.add(new Cell(exp, method, n, s.size(),
                        100 * s.stream().mapToDouble(RunRecord.Scores::better).average().orElseThrow(),
                        100 * s.stream().mapToDouble(RunRecord.Scores::equal).average().orElseThrow(),
                        100 * s.stream().mapToDouble(RunRecord.Scores::unrefinedBetter).average().orElseThrow(),
                        100 * s.stream().mapToDouble(RunRecord.Scores::unrefinedEqual).average().orElseThrow())))));
        return cells;
    }

    /** Per experiment, one row per method and one column per n, "better / equal" (refined), then the same unrefined. */
    public static String markdown(List<Cell> cells) {
        StringBuilder b = new StringBuilder("# Table 2 per n: share of problems better / equal than BFGS\n\n"
                + "Percent, mean over the seeds of each n (the count is under the n). With BFGS refinement, then "
                + "without. A diverged run counts with 0 % better and 0 % equal.\n");
        for (String exp : cells.stream().map(Cell::experiment).collect(Collectors.toCollection(TreeSet::new))) {
            List<Cell> ofExp = cells.stream().filter(c -> c.experiment().equals(exp)).toList();
            List<Integer> ns = ofExp.stream().map(Cell::n).distinct().sorted().toList();
            for (boolean refined : new boolean[] {true, false}) {
                b.append("\n## ").append(PaperTable2.label(exp)).append(refined ? ", refined" : ", unrefined")
                        .append("\n\n| method |");
                ns.forEach(n -> b.append(" n = ").append(n).append(" |"));
                b.append("\n|---|").append("---:|".repeat(ns.size())).append('\n');
                for (String method : ofExp.stream().map(Cell::method).distinct().toList()) {
                    b.append("| ").append(method).append(" |");
                    for (int n : ns) {
                        Cell c = ofExp.stream().filter(x -> x.method().equals(method) && x.n() == n).findFirst()
                                .orElse(null);
                        b.append(' ').append(c == null ? "—" : refined
                                ? pair(c.better(), c.equal(), c.seeds()) : pair(c.unrefinedBetter(),
                                c.unrefinedEqual(), c.seeds())).append(" |");
                    }
                    b.append('\n');
                }
            }
        }
        return b.toString();
    }

    /** Long form, one line per cell. */
    public static String csv(List<Cell> cells) {
        StringBuilder b = new StringBuilder(
                "experiment,method,n,seeds,better,equal,unrefined_better,unrefined_equal\n");
        for (Cell c : cells) {
            b.append(String.format(Locale.ROOT, "%s,%s,%d,%d,%.4f,%.4f,%.4f,%.4f%n", c.experiment(), c.method(),
                    c.n(), c.seeds(), c.better(), c.equal(), c.unrefinedBetter(), c.unrefinedEqual()));
        }
        return b.toString();
    }

    private static String pair(double better, double equal, int seeds) {
        return String.format(Locale.ROOT, "%.1f / %.1f (%d)", better, equal, seeds);
    }
}
