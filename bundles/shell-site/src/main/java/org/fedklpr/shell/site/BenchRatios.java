package org.fedklpr.shell.site;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The figures of one {@code bench} run that have a reference measured in the same run, each as a
 * ratio against it with its target: the table {@code bench} ends with.
 */
final class BenchRatios {
    private record Row(String what, String measured, String reference, double ratio, String target) {
    }

    private final List<Row> rows = new ArrayList<>();

    /**
     * @param target how the ratio should compare, e.g. "at most 1.5"
     */
    void add(String what, String measured, String reference, double ratio, String target) {
        rows.add(new Row(what, measured, reference, ratio, target));
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    String table() {
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "Against the references of this run:%n%n"
                + "| what | measured | reference | ratio | target |%n|---|---|---|---|---|%n"));
        for (Row row : rows) {
            table.append(String.format(Locale.ROOT, "| %s | %s | %s | **%.2f** | %s |%n", row.what(), row.measured(),
                    row.reference(), row.ratio(), row.target()));
        }
        return table.toString();
    }
}
