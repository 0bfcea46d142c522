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
                Map.of("client-1", new double[] {rank1, rank1}));
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
        List<ExperimentSummary> runs = java.util.Arrays.stream(rank1).mapToObj(r -> new ExperimentSummary(
                Path.of("runs", entry.folder()), 2, 0.05, 0.1, r, r, 500, 500, 1.0, -1)).toList();
        return new ComparisonReport.Result(entry, runs, result(entry, rank1[0], 500, 500).series());
    }

    @Test
    void writesTablesJsonAndCharts(@TempDir Path folder) throws IOException {
        ComparisonPlan plan = ComparisonPlan.parse(PLAN, SETTINGS);
        List<ComparisonPlan.Entry> entries = plan.configurations();
        String markdown = ComparisonReport.write(folder, plan, List.of(result(entries.get(0), 0.30, 500_000, 500_000),
                result(entries.get(1), 0.40, 600_000, 600_000), result(entries.get(2), 0.295, 300_000, 300_000)));
        assertTrue(markdown.contains("| FedKLPR | 29.5 % | 29.5 % | 0.30 | 0.30 | 0.60 | 40.0 % | -0.5 |"), markdown);
        assertTrue(Files.readString(folder.resolve("comparison.json")).contains("\"saving_vs_FedAvg\": 0.5"));
        String chart = Files.readString(folder.resolve("rank1_vs_mb.svg"));
        assertTrue(chart.startsWith("<svg") && chart.contains("<polyline") && chart.contains("FedKLPR"), chart);
        assertTrue(Files.exists(folder.resolve("rank1_vs_round.svg")));
    }
}
