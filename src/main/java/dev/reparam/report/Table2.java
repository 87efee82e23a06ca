package dev.reparam.report;

import dev.reparam.experiments.Experiments;
import dev.reparam.experiments.Methods;
import dev.reparam.inverse.Bfgs;
import dev.reparam.inverse.Comparison;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The paper's Table 2 from our runs: per experiment and network method, the percent of problems
 * better / equal than BFGS, as the paper averages it: mean over the seeds of each n, then mean
 * over all n (so an n with fewer finished seeds does not weigh less).
 */
public final class Table2 {
    /** One cell pair; {@code better}/{@code equal} are null when we have no run of the method. */
    public record Row(String experiment, String method, Double better, Double equal, PaperTable2.Cell paper,
                      int runs, int nValues, int seeds, int diverged) {}

    private Table2() {}

    /** Rows for every experiment with runs; {@code refined} picks the refined or the unrefined shares. */
    public static List<Row> compute(List<RunRecord> records, boolean refined) {
        ToDoubleFunction<RunRecord.Scores> better = refined ? RunRecord.Scores::better
                : RunRecord.Scores::unrefinedBetter;
        ToDoubleFunction<RunRecord.Scores> equal = refined ? RunRecord.Scores::equal : RunRecord.Scores::unrefinedEqual;
        List<Row> rows = new ArrayList<>();
        for (String exp : experimentOrder(records)) {
            List<RunRecord> ofExp = records.stream().filter(r -> r.experiment().equals(exp)).toList();
            for (String method : methodOrder(ofExp)) {
                List<RunRecord> runs = ofExp.stream().filter(r -> r.methods().containsKey(method)).toList();
                PaperTable2.Cell paper = refined ? PaperTable2.get(exp, method) : null;
                if (runs.isEmpty()) {
                    rows.add(new Row(exp, method, null, null, paper, 0, 0, 0, 0));
                    continue;
                }
                int seeds = runs.stream().map(RunRecord::seed).collect(Collectors.toSet()).size();
                int nValues = runs.stream().map(RunRecord::n).collect(Collectors.toSet()).size();
                // a diverged run counts with shares 0: it gave no answers
                int diverged = (int) runs.stream().filter(r -> r.methods().get(method).diverged()).count();
                rows.add(new Row(exp, method, 100 * meanOverSeedsThenN(runs, method, better),
                        100 * meanOverSeedsThenN(runs, method, equal), paper, runs.size(), nValues, seeds, diverged));
            }
        }
        return rows;
    }

    static double meanOverSeedsThenN(List<RunRecord> runs, String method, ToDoubleFunction<RunRecord.Scores> value) {
        Map<Integer, List<RunRecord>> byN = runs.stream().collect(Collectors.groupingBy(RunRecord::n, TreeMap::new,
                Collectors.toList()));
        OptionalDouble mean = byN.values().stream()
                .mapToDouble(ofN -> ofN.stream().mapToDouble(r -> value.applyAsDouble(r.methods().get(method)))
                .average().orElseThrow()).average();
        return mean.orElseThrow();
    }

    /** Registry order first; experiments that are no longer registered follow by name. */
    private static List<String> experimentOrder(List<RunRecord> records) {
        Set<String> present = records.stream().map(RunRecord::experiment)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> order = new LinkedHashSet<>(Experiments.names());
        order.addAll(present);
        order.retainAll(present);
        return List.copyOf(order);
    }

    /**
     * The paper's methods (shown even without runs, so missing ones are visible), then every other method run; never
     * BFGS.
     */
    private static List<String> methodOrder(List<RunRecord> records) {
        Set<String> run = new TreeSet<>();
        records.forEach(r -> run.addAll(r.methods().keySet()));
        Set<String> order = new LinkedHashSet<>(PaperTable2.methods());
        Methods.names().stream().filter(run::contains).forEach(order::add);
        order.addAll(run);
        order.remove(Bfgs.NAME);
        return List.copyOf(order);
    }

    public static String markdown(List<Row> rows, boolean refined) {
        return markdown(rows, refined, Comparison.DEFAULT_TIE_TOLERANCE);
    }

    /** The table as Markdown; the text says which relative tie tolerance made "equal". */
    public static String markdown(List<Row> rows, boolean refined, double tieTolerance) {
        StringBuilder b = new StringBuilder();
        b.append(refined
                ? "# Table 2: share of problems where a method with refinement is better / equal than BFGS\n\n"
                : "# Table 2, unrefined: share of problems where a method without refinement is better / equal than "
                + "BFGS\n\n");
        b.append("Percent, mean over seeds and all n. Runs: finished runs behind the cell (n values × seeds);"
                + " a run whose training diverged counts with 0 % better and 0 % equal."
                + " Equal: |L - L_BFGS| <= " + plain(tieTolerance) + " max(L, L_BFGS) + 1e-12"
                + (tieTolerance == Comparison.DEFAULT_TIE_TOLERANCE ? "" : " (--tie-tolerance; the default is "
                + plain(Comparison.DEFAULT_TIE_TOLERANCE) + ")") + ".");
        b.append(refined ? " Paper: Holl & Thuerey, Table 2.\n\n" : " The paper reports refined results only.\n\n");
        b.append(refined
                ? "| experiment | method | better | equal | paper better | paper equal | runs "
                + "|\n|---|---|---:|---:|---:|---:|---|\n"
                : "| experiment | method | better | equal | runs |\n|---|---|---:|---:|---|\n");
        for (Row r : rows) {
            b.append("| ").append(PaperTable2.label(r.experiment())).append(" | ").append(r.method())
                    .append(" | ").append(pct(r.better())).append(" | ").append(pct(r.equal()));
            if (refined) {
                b.append(" | ").append(pct(r.paper() == null ? null : r.paper().better()))
                        .append(" | ").append(pct(r.paper() == null ? null : r.paper().equal()));
            }
            b.append(" | ").append(r.runs() == 0 ? "0" : r.runs() + " (" + r.nValues() + " × " + r.seeds() + ")")
                    .append(r.diverged() > 0 ? ", " + r.diverged() + " diverged" : "").append(" |\n");
        }
        return b.toString();
    }

    /** Machine-readable: empty fields where a number is missing. */
    public static String csv(List<Row> rows, boolean refined) {
        StringBuilder b = new StringBuilder(refined
                ? "experiment,method,better,equal,paper_better,paper_equal,runs,n_values,seeds,diverged\n"
                : "experiment,method,better,equal,runs,n_values,seeds,diverged\n");
        for (Row r : rows) {
            b.append(r.experiment()).append(',').append(r.method()).append(',')
                    .append(num(r.better())).append(',').append(num(r.equal())).append(',');
            if (refined) {
                b.append(num(r.paper() == null ? null : r.paper().better())).append(',')
                        .append(num(r.paper() == null ? null : r.paper().equal())).append(',');
            }
            b.append(r.runs()).append(',').append(r.nValues()).append(',').append(r.seeds()).append(',')
                    .append(r.diverged()).append('\n');
        }
        return b.toString();
    }

    /** 1e-5 as 0.00001, 0.99 as 0.99: no exponent, no trailing zeros. */
    private static String plain(double v) {
        return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }

    private static String pct(Double v) {
        return v == null ? "—" : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String num(Double v) {
        return v == null ? "" : String.format(Locale.ROOT, "%.4f", v);
    }
}
