package org.fedklpr.shell;

import java.nio.file.Path;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.experiment.ExperimentRunner;
import org.fedklpr.api.experiment.ExperimentSummary;
import org.fedklpr.api.settings.Settings;
import org.fedklpr.report.ComparisonPage;

/**
 * Runs a {@link ComparisonPlan}: one experiment per configuration and seed (every configuration sees
 * the same seeds, so the same synthetic worlds and initialisations), each in its own folder under the
 * comparison's, the runtime's configuration put back in between; then writes the report. A folder
 * that already holds a finished run is reused (checkpoints resume).
 */
final class Comparison {
    private static final String COORDINATOR_PID = "org.fedklpr.coordinator";

    private final ExperimentRunner runner;
    private final Settings settings;
    private final ConfigurationSwitch configurations;

    Comparison(ExperimentRunner runner, Settings settings, ConfigurationSwitch configurations) {
        this.runner = runner;
        this.settings = settings;
        this.configurations = configurations;
    }

    /**
     * @param only names of the configurations to run; empty: all
     * @param seeds how many seeds: the configured seed and the ones after it
     */
    String run(Path folder, ComparisonPlan plan, Set<String> only, int seeds) {
        List<ComparisonPlan.Entry> selected = plan.selected(only);
        long firstSeed = ((Number) settings.inEffect().get(COORDINATOR_PID).get("seed")).longValue();
        checkEvery(selected);
        List<ComparisonReport.Result> results = new ArrayList<>();
        int total = selected.size() * seeds;
        int done = 0;
        long started = System.nanoTime();
        for (ComparisonPlan.Entry entry : selected) {
            List<ExperimentSummary> runs = new ArrayList<>();
            List<RunSeries> series = new ArrayList<>();
            for (int s = 0; s < seeds; s++) {
                long seed = firstSeed + s;
                double elapsed = (System.nanoTime() - started) / 1e9;
                System.out.printf("%n== run %d of %d: %s%s: %s%n", done + 1, total, entry.name(),
                        seeds > 1 ? " (seed " + seed + ")" : "", entry.description());
                if (done > 0) {
                    System.out.println("   " + RunProgress.remaining(done, total, (System.nanoTime() - started) / 1e9,
                            "runs", LocalTime.now()));
                }
                Path runDirectory = seeds > 1 ? folder.resolve(entry.folder()).resolve("seed-" + seed)
                        : folder.resolve(entry.folder());
                try {
                    apply(entry);
                    if (seeds > 1) {
                        Map<String, Object> seedSetting = new HashMap<>(
                                entry.settings().getOrDefault(COORDINATOR_PID, Map.of()));
                        seedSetting.put("seed", seed);
                        // Each seed is its own synthetic world: give it its own folder, written once.
                        Object dataRoot = configurations.baseValue(COORDINATOR_PID, "dataRoot");
                        if (dataRoot != null) {
                            seedSetting.put("dataRoot", dataRoot + "-seed" + seed);
                        }
                        configurations.apply(COORDINATOR_PID, seedSetting);
                    }
                    runs.add(runner.run(runDirectory));
                } finally {
                    configurations.restore();
                }
                series.add(RunSeries.read(runDirectory));
                done++;
            }
            results.add(new ComparisonReport.Result(entry, runs, series));
        }
        String report = ComparisonReport.write(folder, plan, results);
        ComparisonPage.write(folder);
        return report;
    }

    /**
     * Checks what every configuration names (aggregator, objectives, pruner, ...) before the first
     * run, so that a misspelt name in the last configuration does not end a comparison hours in.
     */
    private void checkEvery(List<ComparisonPlan.Entry> selected) {
        List<String> problems = new ArrayList<>();
        for (ComparisonPlan.Entry entry : selected) {
            try {
                apply(entry);
                runner.check();
            } catch (FedklprException e) {
                for (String line : e.getMessage().split("\n")) {
                    problems.add("comparison plan, configuration " + entry.name() + ": " + line);
                }
            } finally {
                configurations.restore();
            }
        }
        if (!problems.isEmpty()) {
            throw new FedklprException(String.join("\n", problems));
        }
    }

    private void apply(ComparisonPlan.Entry entry) {
        for (Map.Entry<String, Map<String, Object>> pid : entry.settings().entrySet()) {
            configurations.apply(pid.getKey(), pid.getValue());
        }
    }
}
