package org.fedklpr.api.experiment;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Runs the federated experiment that the coordinator's configuration describes. Configuration
 * changed while it runs (the aggregator, say) takes effect at the next round boundary.
 */
public interface ExperimentRunner {

    /**
     * Runs every round, writing {@code config.json}, {@code metrics.jsonl}, {@code summary.json} and
     * checkpoints to {@code runDirectory}; if the directory holds a checkpoint of the same
     * configuration, resumes after its last completed round.
     *
     * @throws org.fedklpr.api.FedklprException on input the user can fix
     * @throws IllegalStateException if an experiment is already running
     */
    ExperimentSummary run(Path runDirectory);

    /** The plan of the round in progress, if an experiment is running. */
    Optional<RoundPlan> currentRound();
}
