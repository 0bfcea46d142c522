package org.fedklpr.shell;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.fedklpr.api.experiment.ExperimentRunner;
import org.fedklpr.api.experiment.ExperimentSummary;

/**
 * Runs a {@link ComparisonPlan}: one experiment per configuration, on the same data and seed, each
 * in its own folder under the comparison's, the runtime's configuration put back in between; then
 * writes the report. A folder that already holds a finished run is reused (checkpoints resume).
 */
final class Comparison {
    private final ExperimentRunner runner;
    private final ConfigurationSwitch configurations;

    Comparison(ExperimentRunner runner, ConfigurationSwitch configurations) {
        this.runner = runner;
        this.configurations = configurations;
    }

    /** @param only names of the configurations to run; empty: all */
    String run(Path folder, ComparisonPlan plan, Set<String> only) {
        List<ComparisonReport.Result> results = new ArrayList<>();
        for (ComparisonPlan.Entry entry : plan.configurations()) {
            if (!only.isEmpty() && !only.contains(entry.name())) {
                continue;
            }
            System.out.printf("%n== %s: %s%n", entry.name(), entry.description());
            ExperimentSummary summary;
            Path runDirectory = folder.resolve(entry.folder());
            try {
                for (Map.Entry<String, Map<String, Object>> pid : entry.settings().entrySet()) {
                    configurations.apply(pid.getKey(), pid.getValue());
                }
                summary = runner.run(runDirectory);
            } finally {
                configurations.restore();
            }
            results.add(new ComparisonReport.Result(entry, summary, RunSeries.read(runDirectory)));
        }
        return ComparisonReport.write(folder, plan, results);
    }
}
