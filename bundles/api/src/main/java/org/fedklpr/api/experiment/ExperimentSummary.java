package org.fedklpr.api.experiment;

import java.nio.file.Path;

/**
 * How an experiment ended: mean client Rank-1 and mAP of the initial and final global models,
 * total training traffic (encoded bytes), and wall time.
 *
 * @param resumedFromRound the last completed round of the checkpoint it resumed from, or -1
 */
public record ExperimentSummary(Path runDirectory, int rounds, double initialRank1, double initialMAP,
        double finalRank1, double finalMAP, long bytesUp, long bytesDown, double seconds, int resumedFromRound) {
}
