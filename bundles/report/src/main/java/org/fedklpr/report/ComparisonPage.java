package org.fedklpr.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import org.fedklpr.api.FedklprException;
import org.fedklpr.files.RunLogs;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * {@code report.html} of a comparison folder, from its {@code comparison.json}: mean Rank-1 by round
 * and by traffic for every configuration, final Rank-1 against total traffic with the Pareto front,
 * the table of configurations, the seed-by-seed differences with their standard errors, the verdict,
 * and links to every run's own report.
 */
public final class ComparisonPage {
    public static final String FILE = "report.html";

    private ComparisonPage() {
    }

    /** Writes {@code report.html} into {@code folder}, which holds the comparison's comparison.json. */
    public static void write(Path folder) {
        JsonObject comparison;
        try {
            comparison = JsonParser.parseString(Files.readString(folder.resolve("comparison.json"),
                    StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            throw new FedklprException("cannot read " + folder.resolve("comparison.json") + ": " + e.getMessage(), e);
        }
        page(comparison, folder).write(folder.resolve(FILE));
    }

    static Page page(JsonObject comparison, Path folder) {
        List<JsonObject> configurations = new ArrayList<>();
        comparison.getAsJsonArray("configurations").forEach(c -> configurations.add(c.getAsJsonObject()));
        Page page = new Page("Comparison — FedKLPR");
        page.html("<h1>Comparison of " + configurations.size() + " configurations</h1>\n<p class=\"status\">Rank-1 "
                + "and mAP are the mean over sites after the last round, averaged over seeds; traffic is up + down in "
                + "MB (10^6 bytes). Folder " + Page.escape(folder.toString()) + ".</p>\n");
        if (comparison.has("verdict")) {
            page.html("<div class=\"verdict\"><b>Verdict.</b> " + Page.escape(comparison.get("verdict").getAsString())
                    + "</div>\n");
        }
        TreeSet<Double> roundSet = new TreeSet<>();
        TreeSet<Double> megabyteSet = new TreeSet<>();
        for (JsonObject configuration : configurations) {
            for (JsonElement point : configuration.getAsJsonArray("series")) {
                roundSet.add(point.getAsJsonObject().get("round").getAsDouble());
                megabyteSet.add(point.getAsJsonObject().get("cumulative_mb").getAsDouble());
            }
            megabyteSet.add(configuration.get("mb_total").getAsDouble());
        }
        double[] rounds = roundSet.stream().mapToDouble(Double::doubleValue).toArray();
        double[] megabytes = megabyteSet.stream().mapToDouble(Double::doubleValue).toArray();
        List<Page.Series> byRound = new ArrayList<>();
        List<Page.Series> byTraffic = new ArrayList<>();
        List<Page.Series> finals = new ArrayList<>();
        double[] front = nan(megabytes.length);
        for (int c = 0; c < configurations.size(); c++) {
            JsonObject configuration = configurations.get(c);
            String name = configuration.get("name").getAsString();
            double[] rank1ByRound = nan(rounds.length);
            double[] rank1ByTraffic = nan(megabytes.length);
            for (JsonElement element : configuration.getAsJsonArray("series")) {
                JsonObject point = element.getAsJsonObject();
                double rank1 = 100 * RunLogs.number(point, "mean_rank1");
                rank1ByRound[index(rounds, point.get("round").getAsDouble())] = rank1;
                rank1ByTraffic[index(megabytes, point.get("cumulative_mb").getAsDouble())] = rank1;
            }
            byRound.add(new Page.Series(name, rank1ByRound, Page.color(c), false));
            byTraffic.add(new Page.Series(name, rank1ByTraffic, Page.color(c), false));
            double[] last = nan(megabytes.length);
            int at = index(megabytes, configuration.get("mb_total").getAsDouble());
            last[at] = 100 * RunLogs.number(configuration, "rank1");
            finals.add(new Page.Series(name, last, Page.color(c), false));
            if (configuration.has("on_pareto_front") && configuration.get("on_pareto_front").getAsBoolean()) {
                front[at] = last[at];
            }
        }
        finals.add(new Page.Series("Pareto front", front, Page.EMPHASIS, true));
        page.charts(List.of(
                new Page.Chart("Mean Rank-1 by round", "round", "Rank-1 (%)", rounds, byRound, 1),
                new Page.Chart("Mean Rank-1 by training traffic", "cumulative MB (up + down)", "Rank-1 (%)", megabytes,
                        byTraffic, 1),
                new Page.Chart("Final Rank-1 against total traffic (Pareto front: nothing sends fewer bytes for as "
                        + "much Rank-1)", "MB, whole run (up + down)", "Rank-1 (%)", megabytes, finals, 1)));
        page.html(table(comparison, configurations));
        page.html(paired(comparison));
        page.html(runLinks(configurations, folder));
        return page;
    }

    private static double[] nan(int length) {
        double[] values = new double[length];
        java.util.Arrays.fill(values, Double.NaN);
        return values;
    }

    private static int index(double[] sorted, double value) {
        return java.util.Arrays.binarySearch(sorted, value);
    }

    private static String table(JsonObject comparison, List<JsonObject> configurations) {
        List<String> baselines = new ArrayList<>();
        if (comparison.has("baselines")) {
            comparison.getAsJsonArray("baselines").forEach(b -> baselines.add(b.getAsString()));
        }
        StringBuilder table = new StringBuilder("<h2>Configurations</h2>\n<table><tr><th>configuration</th>"
                + "<th>Rank-1 %</th><th>± sd</th><th>pooled Rank-1 %</th><th>mAP %</th><th>MB total</th>");
        baselines.forEach(b -> table.append("<th>saved vs ").append(Page.escape(b)).append("</th>"));
        table.append("<th>Pareto front</th><th>seeds</th><th>seconds</th></tr>\n");
        for (JsonObject configuration : configurations) {
            table.append("<tr><td title=\"").append(Page.escape(RunLogs.text(configuration, "description")))
                    .append("\">").append(Page.escape(configuration.get("name").getAsString())).append("</td><td>")
                    .append(Page.percent(RunLogs.number(configuration, "rank1"))).append("</td><td>")
                    .append(Page.percent(RunLogs.number(configuration, "rank1_std"))).append("</td><td>")
                    .append(Page.percent(RunLogs.number(configuration, "pooled_rank1"))).append("</td><td>")
                    .append(Page.percent(RunLogs.number(configuration, "mAP"))).append("</td><td>")
                    .append(Page.number(RunLogs.number(configuration, "mb_total"), "%.2f")).append("</td>");
            for (String baseline : baselines) {
                table.append("<td>").append(Page.percent(RunLogs.number(configuration, "saving_vs_" + baseline)))
                        .append(" %</td>");
            }
            table.append("<td>").append(configuration.get("on_pareto_front").getAsBoolean() ? "yes" : "")
                    .append("</td><td>").append(configuration.getAsJsonArray("runs").size()).append("</td><td>")
                    .append(Page.number(RunLogs.number(configuration, "seconds"), "%.0f")).append("</td></tr>\n");
        }
        return table.append("</table>\n").toString();
    }

    /** The subject against its reference, seed by seed: the difference and how far its mean can be trusted. */
    private static String paired(JsonObject comparison) {
        if (!comparison.has("rank1_difference")) {
            return "";
        }
        JsonObject difference = comparison.getAsJsonObject("rank1_difference");
        StringBuilder points = new StringBuilder();
        difference.getAsJsonArray("rank1_points_by_seed").forEach(p -> points.append(points.length() == 0 ? "" : ", ")
                .append(Page.number(p.getAsDouble(), "%+.1f")));
        return "<h2>Paired difference</h2>\n<p>Rank-1 of " + Page.escape(RunLogs.text(comparison, "subject"))
                + " minus " + Page.escape(RunLogs.text(difference, "against")) + ", seed by seed (the same world and "
                + "initialisation): " + points + " points; standard error of their mean "
                + Page.number(RunLogs.number(difference, "standard_error_points"), "%.2f") + " points.</p>\n";
    }

    private static String runLinks(List<JsonObject> configurations, Path folder) {
        StringBuilder links = new StringBuilder("<h2>Runs</h2>\n<table>");
        for (JsonObject configuration : configurations) {
            links.append("<tr><td>").append(Page.escape(configuration.get("name").getAsString())).append("</td>"
                    + "<td class=\"text\">");
            for (JsonElement run : configuration.getAsJsonArray("runs")) {
                Path directory = Path.of(run.getAsJsonObject().get("run_directory").getAsString());
                Path report = directory.resolve(RunReport.FILE);
                String href = directory.startsWith(folder) ? folder.relativize(report).toString() : report.toString();
                links.append("<a href=\"").append(Page.escape(href)).append("\">").append(Page.escape(directory
                        .getFileName().toString())).append("</a> ");
            }
            links.append("</td></tr>\n");
        }
        return links.append("</table>\n").toString();
    }
}
