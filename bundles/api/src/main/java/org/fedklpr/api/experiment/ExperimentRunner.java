package org.fedklpr.api.experiment;

import java.nio.file.Path;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Runs the federated experiment that the coordinator's configuration describes. Configuration
 * changed while it runs (the aggregator, say) takes effect at the next round boundary.
 */
@ProviderType
public interface ExperimentRunner {

    /**
     * Runs every round, writing {@code config.json}, {@code metrics.jsonl}, {@code summary.json} and
     * checkpoints to {@code runDirectory}; if the directory holds a checkpoint made with the same
     * settings, resumes after its last completed round (or extends a finished run to more rounds).
     * Everything {@link #check()} checks is checked before the folder is written.
     *
     * @throws org.fedklpr.api.FedklprException on input the user can fix, before anything runs (or,
     *         for a folder made with other settings, naming the differences)
     * @throws RunFailedException if a round leaves no update to aggregate
     * @throws IllegalStateException if an experiment is already running
     */
    ExperimentSummary run(Path runDirectory);

    /**
     * Checks the configured experiment without running any of it: its settings, and every service it
     * names (aggregator, transport, engine, dataset generator and format, the sites' objectives,
     * pruner and pruning controller, the wire codec) against what is installed here and at the sites.
     *
     * @throws org.fedklpr.api.FedklprException naming the first setting or name that cannot be used
     */
    void check();

    /** The plan of the round in progress, if an experiment is running. */
    Optional<RoundPlan> currentRound();
}
