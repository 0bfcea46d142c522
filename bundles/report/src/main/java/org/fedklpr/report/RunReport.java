package org.fedklpr.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

import org.fedklpr.files.RunLogs;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * {@code report.html} of a run folder, from its published logs alone: scores by round and by
 * traffic (each site and the mean), training loss, pruning ratios, aggregation weights and CRR's
 * actions where the run has them, the last round's table per site, links to rank lists, and every
 * setting. Rewritten after each round, so a running experiment can be watched by reloading it.
 */
public final class RunReport {
    public static final String FILE = "report.html";
    private static final String MEAN = "mean";

    private RunReport() {
    }

    /** Writes {@code report.html} into {@code runFolder}. */
    public static void write(Path runFolder) {
        page(RunLogs.read(runFolder)).write(runFolder.resolve(FILE));
    }

    static Page page(RunLogs logs) {
        JsonObject experiment = logs.config().has("experiment") ? logs.config().getAsJsonObject("experiment")
                : new JsonObject();
        String name = experiment.has("name") ? experiment.get("name").getAsString() : logs.folder().getFileName()
                .toString();
        Page page = new Page(name + " — FedKLPR run");
        page.html("<h1>" + Page.escape(name) + "</h1>\n<p class=\"status\">" + Page.escape(status(logs, experiment))
                + " · folder " + Page.escape(logs.folder().toString()) + "</p>\n");
        if (logs.byRound().isEmpty()) {
            return page.html("<p>No round has been logged yet.</p>\n");
        }
        List<String> sites = sites(logs);
        double[] rounds = logs.byRound().keySet().stream().mapToDouble(Integer::doubleValue).toArray();
        double[] megabytes = logs.cumulativeMegabytes();
        page.html("<h2>Scores</h2>\n").charts(List.of(
                chart("Rank-1 by round", "round", "Rank-1 (%)", rounds, bySite(logs, sites, "rank1", 100, true), 1),
                chart("mAP by round", "round", "mAP (%)", rounds, bySite(logs, sites, "mAP", 100, true), 1),
                chart("Rank-1 by training traffic", "cumulative MB, all sites (up + down)", "Rank-1 (%)", megabytes,
                        bySite(logs, sites, "rank1", 100, true), 1),
                chart("mAP by training traffic", "cumulative MB, all sites (up + down)", "mAP (%)", megabytes,
                        bySite(logs, sites, "mAP", 100, true), 1)));
        List<Page.Chart> training = new ArrayList<>();
        training.add(chart("Training loss by round", "round", "loss (mean over local steps)", rounds,
                bySite(logs, sites, "loss", 1, true), 3));
        if (has(logs, "pruning_ratio")) {
            training.add(chart("Pruning ratio by round", "round", "weights pruned (%)", rounds,
                    bySite(logs, sites, "pruning_ratio", 100, false), 1));
        }
        if (has(logs, "weight")) {
            training.add(chart("Aggregation weight by round", "round", "weight of the site's update", rounds,
                    bySite(logs, sites, "weight", 1, false), 3));
        }
        page.html("<h2>Training</h2>\n").charts(training);
        page.html(crrActions(logs, sites));
        page.html(finalTable(logs, sites));
        page.html(rankLists(logs.folder()));
        page.html(settings(logs, experiment));
        return page;
    }

    private static String status(RunLogs logs, JsonObject experiment) {
        int completed = logs.byRound().isEmpty() ? 0 : logs.byRound().lastKey();
        String planned = experiment.has("rounds") ? " of " + experiment.get("rounds").getAsInt() : "";
        if (logs.summary() == null) {
            return "running: round " + completed + planned + " completed";
        }
        String state = RunLogs.text(logs.summary(), "status");
        String failure = RunLogs.text(logs.summary(), "failure");
        return state + " after round " + completed + planned + (failure.isEmpty() ? "" : ": " + failure)
                + ", " + Page.number(RunLogs.number(logs.summary(), "seconds"), "%.0f") + " s";
    }

    /** The sites in the run's order (config.json), then any that only the rows name. */
    private static List<String> sites(RunLogs logs) {
        Set<String> sites = new LinkedHashSet<>();
        if (logs.config().has("clients") && logs.config().get("clients").isJsonArray()) {
            for (JsonElement client : logs.config().getAsJsonArray("clients")) {
                sites.add(client.getAsJsonObject().get("clientId").getAsString());
            }
        }
        logs.byRound().values().forEach(rows -> rows.forEach(row -> sites.add(RunLogs.text(row, "client"))));
        return List.copyOf(sites);
    }

    private static boolean has(RunLogs logs, String key) {
        return logs.byRound().values().stream().flatMap(List::stream)
                .anyMatch(row -> Double.isFinite(RunLogs.number(row, key)));
    }

    private static Page.Chart chart(String title, String xLabel, String yLabel, double[] x, List<Page.Series> series,
            int decimals) {
        return new Page.Chart(title, xLabel, yLabel, x, series, decimals);
    }

    /** {@code key} of every site by round, times {@code scale}, and their mean when asked. */
    private static List<Page.Series> bySite(RunLogs logs, List<String> sites, String key, double scale,
            boolean withMean) {
        List<Page.Series> series = new ArrayList<>();
        for (int s = 0; s < sites.size(); s++) {
            String site = sites.get(s);
            series.add(new Page.Series(site, values(logs, rows -> scale * RunLogs.number(rows.stream()
                    .filter(row -> RunLogs.text(row, "client").equals(site)).findFirst().orElse(new JsonObject()), key)),
                    Page.color(s), false));
        }
        if (withMean) {
            series.add(new Page.Series(MEAN, values(logs, rows -> scale * RunLogs.meanOf(rows, key)), Page.EMPHASIS,
                    true));
        }
        return series;
    }

    private static double[] values(RunLogs logs, ToDoubleFunction<List<JsonObject>> ofRound) {
        return logs.byRound().values().stream().mapToDouble(ofRound).toArray();
    }

    private static String crrActions(RunLogs logs, List<String> sites) {
        StringBuilder table = new StringBuilder();
        for (Map.Entry<Integer, List<JsonObject>> round : logs.byRound().entrySet()) {
            Map<String, String> actions = new LinkedHashMap<>();
            round.getValue().forEach(row -> actions.put(RunLogs.text(row, "client"), RunLogs.text(row, "crr_action")));
            if (actions.values().stream().allMatch(String::isEmpty)) {
                continue;
            }
            table.append("<tr><td>").append(round.getKey()).append("</td>");
            sites.forEach(site -> table.append("<td class=\"text\">").append(Page.escape(actions.getOrDefault(site, "")))
                    .append("</td>"));
            table.append("</tr>\n");
        }
        if (table.length() == 0) {
            return "";
        }
        StringBuilder head = new StringBuilder("<h2>Cross-round recovery: what each site's pruning did</h2>\n<table>"
                + "<tr><th>round</th>");
        sites.forEach(site -> head.append("<th>").append(Page.escape(site)).append("</th>"));
        return head.append("</tr>\n").append(table).append("</table>\n").toString();
    }

    private static String finalTable(RunLogs logs, List<String> sites) {
        int last = logs.byRound().lastKey();
        Map<String, long[]> traffic = new LinkedHashMap<>();
        logs.byRound().values().forEach(rows -> rows.forEach(row -> {
            long[] bytes = traffic.computeIfAbsent(RunLogs.text(row, "client"), c -> new long[2]);
            bytes[0] += row.get("bytes_up").getAsLong();
            bytes[1] += row.get("bytes_down").getAsLong();
        }));
        StringBuilder table = new StringBuilder("<h2>Round " + last + ", per site</h2>\n<table><tr><th>site</th>"
                + "<th>Rank-1 %</th><th>Rank-5 %</th><th>Rank-10 %</th><th>mAP %</th><th>queries</th>"
                + "<th>MB up</th><th>MB down</th><th>status</th></tr>\n");
        List<JsonObject> rows = logs.round(last);
        for (String site : sites) {
            JsonObject row = rows.stream().filter(r -> RunLogs.text(r, "client").equals(site)).findFirst()
                    .orElse(new JsonObject());
            long[] bytes = traffic.getOrDefault(site, new long[2]);
            table.append("<tr><td>").append(Page.escape(site)).append("</td><td>")
                    .append(Page.percent(RunLogs.number(row, "rank1"))).append("</td><td>")
                    .append(Page.percent(RunLogs.number(row, "rank5"))).append("</td><td>")
                    .append(Page.percent(RunLogs.number(row, "rank10"))).append("</td><td>")
                    .append(Page.percent(RunLogs.number(row, "mAP"))).append("</td><td>")
                    .append(Page.number(RunLogs.number(row, "queries"), "%.0f")).append("</td><td>")
                    .append(Page.number(bytes[0] / 1e6, "%.2f")).append("</td><td>")
                    .append(Page.number(bytes[1] / 1e6, "%.2f")).append("</td><td class=\"text\">")
                    .append(Page.escape(RunLogs.text(row, "status"))).append("</td></tr>\n");
        }
        table.append("<tr><td><b>mean</b></td><td><b>").append(Page.percent(RunLogs.meanOf(rows, "rank1")))
                .append("</b></td><td>").append(Page.percent(RunLogs.meanOf(rows, "rank5"))).append("</td><td>")
                .append(Page.percent(RunLogs.meanOf(rows, "rank10"))).append("</td><td><b>")
                .append(Page.percent(RunLogs.meanOf(rows, "mAP"))).append("</b></td><td></td><td></td><td></td>"
                        + "<td></td></tr>\n");
        return table.append("</table>\n").toString();
    }

    /** Links to the pages {@code fedklpr visrank} wrote into the run folder. */
    private static String rankLists(Path folder) {
        Path visrank = folder.resolve("visrank");
        if (!Files.isDirectory(visrank)) {
            return "";
        }
        List<String> sites;
        try (Stream<Path> entries = Files.list(visrank)) {
            sites = entries.filter(site -> Files.isRegularFile(site.resolve("index.html")))
                    .map(site -> site.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return "";
        }
        if (sites.isEmpty()) {
            return "";
        }
        StringBuilder links = new StringBuilder("<h2>Rank lists</h2>\n<p>");
        for (String site : sites) {
            links.append("<a href=\"visrank/").append(Page.escape(site)).append("/index.html\">")
                    .append(Page.escape(site)).append("</a> ");
        }
        return links.append("</p>\n").toString();
    }

    private static String settings(RunLogs logs, JsonObject experiment) {
        StringBuilder table = new StringBuilder("<h2>Settings</h2>\n<table>\n");
        for (Map.Entry<String, JsonElement> entry : experiment.entrySet()) {
            table.append("<tr><td>").append(Page.escape(entry.getKey())).append("</td><td class=\"text\">")
                    .append(Page.escape(entry.getValue().isJsonPrimitive() ? entry.getValue().getAsString()
                            : entry.getValue().toString())).append("</td></tr>\n");
        }
        table.append("</table>\n");
        if (logs.config().has("settings")) {
            table.append("<details><summary>Every setting in effect (config.json)</summary><pre>")
                    .append(Page.escape(new GsonBuilder().setPrettyPrinting().create().toJson(logs.config()
                            .get("settings")))).append("</pre></details>\n");
        }
        return table.toString();
    }
}
