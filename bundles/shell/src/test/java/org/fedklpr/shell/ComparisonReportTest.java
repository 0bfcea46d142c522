package org.fedklpr.shell;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.experiment.ExperimentSummary;
import org.fedklpr.api.settings.Settings;
import org.fedklpr.api.settings.SettingsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComparisonReportTest {
    static final Settings SETTINGS = PlatformMetatype.settings();

    private static final String PLAN = """
            {"subject": "FedKLPR", "baselines": ["FedPav", "FedAvg"], "savingTarget": 0.4, "rank1Tolerance": 0.01,
             "configurations": [
               {"name": "FedPav", "settings": {"org.fedklpr.coordinator": {"aggregator": "fedpav"}}},
               {"name": "FedAvg", "settings": {"org.fedklpr.coordinator": {"aggregator": "fedavg", "rounds": 3}}},
               {"name": "FedKLPR", "description": "the subject",
                "settings": {"org.fedklpr.coordinator": {"objectives": ["identity-ce", "kll"], "learningRate": 0.05},
                             "org.fedklpr.data.synthetic": {"cameras": [2, 3], "junk": 2}}}]}
            """;

    private static ComparisonReport.Result result(ComparisonPlan.Entry entry, double rank1, long up, long down) {
        ExperimentSummary summary = new ExperimentSummary(Path.of("runs", entry.folder()), 2, 0.05, 0.1, rank1, rank1,
                up, down, 1.0, -1);
        RunSeries series = new RunSeries(new int[] {0, 1, 2}, new double[] {0.05, rank1 / 2, rank1},
                new double[] {0.1, rank1 / 2, rank1}, new double[] {0, (up + down) / 2e6, (up + down) / 1e6},
                Map.of("client-1", new double[] {rank1, rank1}), new double[] {rank1 - 0.01, rank1});
        return new ComparisonReport.Result(entry, summary, series);
    }

    @Test
    void planValuesBecomeConfigAdminTypes() {
        ComparisonPlan plan = ComparisonPlan.parse(PLAN, SETTINGS);
        assertEquals("FedPav", plan.accuracyBaseline(), "the first baseline by default");
        Map<String, Object> coordinator = plan.configurations().get(2).settings().get("org.fedklpr.coordinator");
        assertArrayEquals(new String[] {"identity-ce", "kll"}, (String[]) coordinator.get("objectives"));
        assertEquals(0.05, coordinator.get("learningRate"));
        assertEquals(3, plan.configurations().get(1).settings().get("org.fedklpr.coordinator").get("rounds"));
        Map<String, Object> world = plan.configurations().get(2).settings().get("org.fedklpr.data.synthetic");
        assertArrayEquals(new int[] {2, 3}, (int[]) world.get("cameras"));
        assertEquals(2, world.get("junk"));
        assertThrows(FedklprException.class, () -> ComparisonPlan.parse("{\"configurations\": []}", SETTINGS));
    }

    @Test
    void everyMistakeOfAPlanIsNamedBeforeAnythingRuns() {
        String plan = PLAN.replace("\"rounds\": 3", "\"rounds\": 1.5").replace("\"aggregator\": \"fedpav\"",
                "\"aggregater\": \"fedpav\"").replace("\"baselines\": [\"FedPav\", \"FedAvg\"]",
                "\"baselines\": [\"FedPav\", \"FedAvgg\"]");
        SettingsException e = assertThrows(SettingsException.class, () -> ComparisonPlan.parse(plan, SETTINGS));
        assertEquals(List.of(
                "comparison plan, configuration FedPav: org.fedklpr.coordinator:aggregater=fedpav: "
                        + "org.fedklpr.coordinator has no key 'aggregater' (did you mean aggregator?)",
                "comparison plan, configuration FedAvg: org.fedklpr.coordinator:rounds=1.5: expected a whole number "
                        + "(Integer), got 1.5",
                "comparison plan: 'FedAvgg' (subject or baseline) is not one of its configurations: FedPav, FedAvg, "
                        + "FedKLPR"), e.problems());
        FedklprException only = assertThrows(FedklprException.class,
                () -> ComparisonPlan.parse(PLAN, SETTINGS).selected(java.util.Set.of("FedProx")));
        assertTrue(only.getMessage().contains("no configuration 'FedProx' (its configurations: FedPav, FedAvg, "
                + "FedKLPR)"), only.getMessage());
    }

    @Test
    void commandLineSettingsWinOverTheConfigurationsOwn(@TempDir Path folder) {
        ComparisonPlan plan = ComparisonPlan.parse(PLAN, SETTINGS).overriddenBy(
                List.of("org.fedklpr.coordinator:objectives=identity-ce", "org.fedklpr.data.synthetic:junk=0",
                        "org.fedklpr.coordinator:seed=4"));
        ComparisonPlan.Entry subject = plan.configurations().get(2);
        // What the configuration no longer sets, the runtime's configuration (with the --set) decides.
        assertEquals(Map.of("learningRate", 0.05), subject.settings().get("org.fedklpr.coordinator"));
        assertArrayEquals(new int[] {2, 3}, (int[]) subject.settings().get("org.fedklpr.data.synthetic").get("cameras"));
        assertEquals(null, subject.settings().get("org.fedklpr.data.synthetic").get("junk"));
        assertEquals("{\"org.fedklpr.coordinator\":{\"learningRate\":0.05},"
                + "\"org.fedklpr.data.synthetic\":{\"cameras\":[2,3]}}", subject.settingsJson());
        assertEquals("{\"org.fedklpr.coordinator\":{\"aggregator\":\"fedpav\"}}",
                plan.configurations().get(0).settingsJson(), "a configuration they do not touch stays as written");
        List<ComparisonPlan.Entry> entries = plan.configurations();
        String markdown = ComparisonReport.write(folder, plan, List.of(result(entries.get(0), 0.30, 500, 500),
                result(entries.get(1), 0.40, 600, 600), result(subject, 0.295, 300, 300)));
        assertTrue(markdown.contains("Command-line settings, over every configuration's own: "
                + "`org.fedklpr.coordinator:objectives=identity-ce`, `org.fedklpr.data.synthetic:junk=0`, "
                + "`org.fedklpr.coordinator:seed=4`."), markdown);
        FedklprException bad = assertThrows(FedklprException.class,
                () -> ComparisonPlan.parse(PLAN, SETTINGS).overriddenBy(List.of("org.fedklpr.coordinator-rounds=3")));
        assertTrue(bad.getMessage().contains("'org.fedklpr.coordinator-rounds=3'"), bad.getMessage());
    }

    @Test
    void verdictComparesTrafficWithEveryBaselineAndAccuracyWithTheFirst() {
        ComparisonPlan plan = ComparisonPlan.parse(PLAN, SETTINGS);
        List<ComparisonPlan.Entry> entries = plan.configurations();
        List<ComparisonReport.Result> met = List.of(result(entries.get(0), 0.30, 500, 500),
                result(entries.get(1), 0.40, 600, 600), result(entries.get(2), 0.295, 300, 300));
        String verdict = ComparisonReport.verdict(plan, met);
        assertTrue(verdict.contains("40.0 % less than FedPav") && verdict.contains("50.0 % less than FedAvg")
                && verdict.endsWith("All targets met."), verdict);
        List<ComparisonReport.Result> tooInaccurate = List.of(result(entries.get(0), 0.30, 500, 500),
                result(entries.get(1), 0.40, 600, 600), result(entries.get(2), 0.285, 300, 300));
        assertTrue(ComparisonReport.verdict(plan, tooInaccurate).endsWith("Not every target is met."));
    }

    @Test
    void severalSeedsAddTheSeedBySeedDifferenceAndItsStandardError() {
        ComparisonPlan plan = ComparisonPlan.parse(PLAN, SETTINGS);
        List<ComparisonPlan.Entry> entries = plan.configurations();
        ComparisonReport.Result fedpav = seeds(entries.get(0), 0.30, 0.20, 0.25);
        ComparisonReport.Result fedklpr = seeds(entries.get(2), 0.28, 0.23, 0.21);
        // differences -2, +3, -4 points: mean -1, sample sd sqrt((1 + 16 + 9) / 2) = 3.606, SE 3.606 / sqrt(3)
        ComparisonReport.PairedDifferences paired = ComparisonReport.pairedDifferences(fedklpr, fedpav).orElseThrow();
        assertArrayEquals(new double[] {-2, 3, -4}, paired.points(), 1e-9);
        assertEquals(Math.sqrt(13) / Math.sqrt(3), paired.standardError(), 1e-9);
        String verdict = ComparisonReport.verdict(plan, List.of(fedpav, result(entries.get(1), 0.4, 600, 600),
                fedklpr));
        assertTrue(verdict.contains("Seed by seed, FedKLPR − FedPav Rank-1: -2.0, +3.0, -4.0 points; standard error "
                + "of the mean difference 2.1 points over 3 seeds."), verdict);
        assertTrue(ComparisonReport.pairedDifferences(result(entries.get(2), 0.3, 1, 1), fedpav).isEmpty(),
                "one seed against three is not a pairing");
    }

    private static ComparisonReport.Result seeds(ComparisonPlan.Entry entry, double... rank1) {
        return seedsSending(entry, 500, rank1);
    }

    /** One run per Rank-1 given, each sending {@code bytesEachWay} up and as many down. */
    private static ComparisonReport.Result seedsSending(ComparisonPlan.Entry entry, long bytesEachWay,
            double... rank1) {
        List<ExperimentSummary> runs = java.util.Arrays.stream(rank1).mapToObj(r -> new ExperimentSummary(
                Path.of("runs", entry.folder()), 2, 0.05, 0.1, r, r, bytesEachWay, bytesEachWay, 1.0, -1)).toList();
        return new ComparisonReport.Result(entry, runs, java.util.Arrays.stream(rank1).mapToObj(r -> result(entry, r,
                bytesEachWay, bytesEachWay).series()).toList());
    }

    @Test
    void writesTablesJsonAndCharts(@TempDir Path folder) throws IOException {
        ComparisonPlan plan = ComparisonPlan.parse(PLAN, SETTINGS);
        List<ComparisonPlan.Entry> entries = plan.configurations();
        String markdown = ComparisonReport.write(folder, plan, List.of(result(entries.get(0), 0.30, 500_000, 500_000),
                result(entries.get(1), 0.40, 600_000, 600_000), result(entries.get(2), 0.295, 300_000, 300_000)));
        assertTrue(markdown.contains("| FedKLPR | 29.5 % | 28.5 % | 29.5 % | 0.30 | 0.30 | 0.60 | 40.0 % | -0.5 |"),
                markdown);
        assertTrue(Files.readString(folder.resolve("comparison.json")).contains("\"saving_vs_FedAvg\": 0.5"));
        String chart = Files.readString(folder.resolve("rank1_vs_mb.svg"));
        assertTrue(chart.startsWith("<svg") && chart.contains("<polyline") && chart.contains("FedKLPR"), chart);
        assertTrue(Files.exists(folder.resolve("rank1_vs_round.svg")));
        // all three are on the front: FedPav (1.0 MB, 30 %) sends more than FedKLPR (0.6 MB, 29.5 %) and scores
        // less than FedAvg (1.2 MB, 40 %), but neither beats it on both
        assertTrue(markdown.contains("On the Pareto front of final Rank-1 against total MB (`pareto.svg`; nothing "
                + "else sends fewer bytes for as much Rank-1): FedKLPR, FedPav, FedAvg."), markdown);
        String pareto = Files.readString(folder.resolve("pareto.svg"));
        assertEquals(3, pareto.split("<circle").length - 1 - 3, "a dot per configuration besides the legend's");
    }

    @Test
    void theParetoFrontLeavesOutWhatIsBeatenOnBothBytesAndRank1() {
        ComparisonPlan plan = ComparisonPlan.parse(PLAN, SETTINGS);
        List<ComparisonPlan.Entry> entries = plan.configurations();
        ComparisonReport.Result dominated = result(entries.get(0), 0.30, 600, 600);
        ComparisonReport.Result cheaperAndBetter = result(entries.get(1), 0.31, 500, 500);
        ComparisonReport.Result cheapest = result(entries.get(2), 0.20, 100, 100);
        assertEquals(List.of(cheapest, cheaperAndBetter), ComparisonReport.paretoFront(List.of(dominated,
                cheaperAndBetter, cheapest)));
    }

    /** Pooled over queries: each client weighs by its scored queries; a client without scores is left out. */
    @Test
    void pooledScoresWeighClientsByTheirQueries(@TempDir Path run) throws IOException {
        Files.writeString(run.resolve("metrics.jsonl"), String.join("\n",
                "{\"round\":0,\"client\":\"a\",\"rank1\":0.1,\"mAP\":0.1,\"bytes_up\":0,\"bytes_down\":0,\"queries\":10}",
                "{\"round\":1,\"client\":\"a\",\"rank1\":0.5,\"mAP\":0.4,\"bytes_up\":5,\"bytes_down\":5,\"queries\":10}",
                "{\"round\":1,\"client\":\"b\",\"rank1\":0.0,\"mAP\":0.2,\"bytes_up\":5,\"bytes_down\":5,\"queries\":30}",
                "{\"round\":1,\"client\":\"c\",\"rank1\":null,\"mAP\":null,\"bytes_up\":0,\"bytes_down\":0,"
                        + "\"queries\":0,\"status\":\"lost: gone\"}"));
        RunSeries series = RunSeries.read(run);
        // mean of the scored clients: (0.5 + 0) / 2 = 0.25; pooled: (10·0.5 + 30·0) / 40 = 0.125
        assertEquals(0.25, series.meanRank1()[1], 1e-12);
        assertEquals(0.125, series.finalPooled()[0], 1e-12);
        assertEquals((10 * 0.4 + 30 * 0.2) / 40, series.finalPooled()[1], 1e-12);
    }

    /** Every configuration gets its paired differences against the accuracy baseline, in the table and the JSON. */
    @Test
    void everyConfigurationIsPairedWithTheAccuracyBaseline(@TempDir Path folder) throws IOException {
        ComparisonPlan plan = ComparisonPlan.parse(PLAN, SETTINGS);
        List<ComparisonPlan.Entry> entries = plan.configurations();
        ComparisonReport.Result fedpav = seeds(entries.get(0), 0.30, 0.20, 0.40);
        ComparisonReport.Result fedavg = seedsSending(entries.get(1), 600, 0.31, 0.22, 0.43);
        String markdown = ComparisonReport.write(folder, plan, List.of(fedpav, fedavg, seedsSending(entries.get(2),
                300, 0.28, 0.23, 0.36)));
        // FedAvg − FedPav: +1, +2, +3 points: mean +2.0, SE 1/sqrt(3) = 0.6; the same for pooled and mAP here
        assertTrue(markdown.contains("## Against FedPav, paired by seed"), markdown);
        assertTrue(markdown.contains("| FedAvg | -20.0 % | +2.0 (0.6) | +2.0 (0.6) | +2.0 (0.6) |"), markdown);
        assertTrue(markdown.contains("| FedKLPR | 40.0 % | -1.0 (2.1) |"), markdown);
        String json = Files.readString(folder.resolve("comparison.json"));
        assertTrue(json.contains("\"paired_vs_FedPav\"") && json.contains("\"pooled_rank1_standard_error\""), json);
    }

    /** When the subject misses, the verdict says which other configurations meet the targets, or which came closest. */
    @Test
    void theVerdictJudgesTheOtherConfigurationsByTheSameTargets(@TempDir Path folder) throws IOException {
        ComparisonPlan plan = ComparisonPlan.parse("""
                {"subject": "FedKLPR", "baselines": ["FedCAPR"], "savingTarget": 0.4, "rank1Tolerance": 0.01,
                 "configurations": [
                   {"name": "FedCAPR", "settings": {"org.fedklpr.coordinator": {"aggregator": "cdw"}}},
                   {"name": "FedKLPR", "settings": {"org.fedklpr.coordinator": {"aggregator": "klpwa"}}},
                   {"name": "FedKLPR-p75", "settings": {"org.fedklpr.coordinator": {"learningRate": 0.01}}},
                   {"name": "FedKLPR-p35", "settings": {"org.fedklpr.coordinator": {"learningRate": 0.02}}}]}
                """, SETTINGS);
        List<ComparisonPlan.Entry> entries = plan.configurations();
        ComparisonReport.Result capr = result(entries.get(0), 0.90, 500, 500);
        ComparisonReport.Result subject = result(entries.get(1), 0.895, 302, 302); // 39.6 % saved, -0.5 points
        ComparisonReport.Result sparser = result(entries.get(2), 0.885, 200, 200); // 60 % saved, -1.5 points
        ComparisonReport.Result denser = result(entries.get(3), 0.90, 350, 350); // 30 % saved, +0.0 points
        String verdict = ComparisonReport.verdict(plan, List.of(capr, subject, sparser, denser));
        // shortfalls: p75 0.5 points of Rank-1, p35 10 points of saving
        assertTrue(verdict.contains("Not every target is met.\n\nThe other configurations against the same targets: "
                + "none meets both; the closest is FedKLPR-p75 (60.0 % saved, -1.5 points Rank-1), 0.50 points short "
                + "of the targets (saving and Rank-1 together)."), verdict);
        ComparisonReport.Result sparserAndClose = result(entries.get(2), 0.892, 200, 200);
        assertTrue(ComparisonReport.verdict(plan, List.of(capr, subject, sparserAndClose, denser)).endsWith(
                "The other configurations against the same targets: FedKLPR-p75 (60.0 % saved, -0.8 points Rank-1) "
                        + "meets both."));
        ComparisonReport.write(folder, plan, List.of(capr, subject, sparserAndClose, denser));
        String json = Files.readString(folder.resolve("comparison.json"));
        assertTrue(json.contains("\"meets_targets\": true") && json.contains("\"meets_targets\": false"), json);
        assertEquals(3, json.split("\"meets_targets\"").length - 1, "every configuration but the baseline: " + json);
    }
}
