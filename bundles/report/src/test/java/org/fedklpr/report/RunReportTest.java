package org.fedklpr.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.fedklpr.files.RunLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;

class RunReportTest {
    @Test
    void aRunsPageHoldsItsChartsTablesAndSettingsAndNeedsNothingElse(@TempDir Path folder) throws Exception {
        Path run = ReportFixtures.run(folder.resolve("run"), "FedKLPR <demo>", true);
        RunReport.write(run);
        String html = Files.readString(run.resolve("report.html"), StandardCharsets.UTF_8);
        assertTrue(html.contains("<h1>FedKLPR &lt;demo&gt;</h1>"), "names are escaped");
        assertTrue(html.contains("finished after round 3 of 3"), html.substring(0, 600));
        assertTrue(html.contains("uPlot") && html.contains("data-charts-drawn"), "the library and the script travel inside");
        assertFalse(html.contains("src=\"http") || html.contains("href=\"http"), "nothing is fetched at view time");
        for (String section : new String[] {"Rank-1 by round", "mAP by training traffic", "Training loss by round",
            "Pruning ratio by round", "Aggregation weight by round", "Cross-round recovery", "Round 3, per site",
            "cuhk&lt;03&gt;", "Every setting in effect"}) {
            assertTrue(html.contains(section), section);
        }
        JsonArray charts = chartData(html);
        assertEquals(7, charts.size());
        // Round 2 of the third site was not scored: a gap (null), not a zero and not NaN.
        JsonArray thirdSite = charts.get(0).getAsJsonObject().getAsJsonArray("series").get(2).getAsJsonObject()
                .getAsJsonArray("values");
        assertTrue(thirdSite.get(2).isJsonNull(), thirdSite.toString());
        assertEquals(100 * (0.1 + 0.15 * 3 + 0.05 * 2), thirdSite.get(3).getAsDouble(), 1e-9);
        JsonArray traffic = charts.get(2).getAsJsonObject().getAsJsonArray("x");
        assertEquals(3 * 3.5 * 3, traffic.get(3).getAsDouble(), 1e-9, "cumulative MB of all sites");
        double[] megabytes = RunLogs.read(run).cumulativeMegabytes();
        assertEquals(megabytes[3], traffic.get(3).getAsDouble(), 0.0, "the one computation of the figure");
    }

    @Test
    void aRunningRunSaysSoAndARunWithoutPruningHasNoPruningChart(@TempDir Path folder) throws Exception {
        Path run = ReportFixtures.run(folder.resolve("running"), "demo", false);
        Files.writeString(run.resolve("metrics.jsonl"), Files.readAllLines(run.resolve("metrics.jsonl")).stream()
                .map(line -> line.replaceAll(",\"pruning_ratio\":[0-9.]+", "")).reduce("", (a, b) -> a + b + "\n"));
        RunReport.write(run);
        String html = Files.readString(run.resolve("report.html"), StandardCharsets.UTF_8);
        assertTrue(html.contains("running: round 3 of 3 completed"));
        assertFalse(html.contains("Pruning ratio by round"));
        assertEquals(6, chartData(html).size());
    }

    @Test
    void aComparisonsPageHoldsTheParetoChartTheTableTheDifferenceAndTheVerdict(@TempDir Path folder) throws Exception {
        Path comparison = ReportFixtures.comparison(folder.resolve("cmp"));
        ComparisonPage.write(comparison);
        String html = Files.readString(comparison.resolve("report.html"), StandardCharsets.UTF_8);
        for (String part : new String[] {"Verdict.", "FedKLPR sends 38 %", "Pareto front", "Paired difference",
            "+2.0, +1.5 points", "0.25 points", "saved vs FedPav", "pruned &lt;and&gt; weighted",
            "href=\"FedKLPR-seed1/report.html\""}) {
            assertTrue(html.contains(part), part);
        }
        JsonArray charts = chartData(html);
        assertEquals(3, charts.size());
        JsonArray x = charts.get(2).getAsJsonObject().getAsJsonArray("x");
        JsonArray front = charts.get(2).getAsJsonObject().getAsJsonArray("series").get(2).getAsJsonObject()
                .getAsJsonArray("values");
        int at13 = -1;
        for (int i = 0; i < x.size(); i++) {
            at13 = x.get(i).getAsDouble() == 13.0 ? i : at13;
        }
        assertEquals(52.0, front.get(at13).getAsDouble(), 1e-9, "FedKLPR is on the front at 13 MB");
    }

    @Test
    void afterRoundZeroOnlyTheChartsWithValuesAreThere(@TempDir Path folder) throws Exception {
        Path run = ReportFixtures.run(folder.resolve("start"), "demo", false);
        Files.writeString(run.resolve("metrics.jsonl"), Files.readAllLines(run.resolve("metrics.jsonl")).stream()
                .filter(line -> line.startsWith("{\"round\":0,")).reduce("", (a, b) -> a + b + "\n"));
        RunReport.write(run);
        String html = Files.readString(run.resolve("report.html"), StandardCharsets.UTF_8);
        assertTrue(html.contains("running: round 0 of 3 completed"));
        assertEquals(4, chartData(html).size(), "scores only: no loss has been logged yet");
    }

    static JsonArray chartData(String html) {
        String start = "<script type=\"application/json\" id=\"fedklpr-charts\">";
        int from = html.indexOf(start) + start.length();
        return JsonParser.parseString(html.substring(from, html.indexOf("</script>", from))).getAsJsonArray();
    }
}
