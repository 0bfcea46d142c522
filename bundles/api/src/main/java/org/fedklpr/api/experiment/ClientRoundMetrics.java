package org.fedklpr.api.experiment;

import java.util.Map;

/**
 * One line of {@code metrics.jsonl}: one client in one round.
 *
 * @param rank1 the client's Rank-1 with the round's new global model (fraction); NaN when the client
 *        could not score it (a site that was lost)
 * @param loss the client's mean local loss this round, {@code null} when it did not train
 * @param bytesUp encoded bytes the client sent this round
 * @param bytesDown encoded bytes the client received this round
 * @param seconds wall time of the client's training exchange
 * @param status {@code trained}, {@code idle} (not selected this round), {@code rejected: <why>} (its
 *        update was not aggregated), {@code lost: <why>} (the site went away or could not be reached)
 *        or {@code late: <why>} (it did not answer before the round's deadline)
 * @param extra algorithm-specific measurements (aggregation weight, loss terms, ...)
 * @param notes algorithm-specific words ({@code crr_action}, ...)
 */
public record ClientRoundMetrics(int round, String client, double rank1, double rank5, double rank10, double mAP,
        Double loss, long bytesUp, long bytesDown, String aggregator, double seconds, long samples, String status,
        Map<String, Double> extra, Map<String, String> notes) {
    public ClientRoundMetrics {
        extra = Map.copyOf(extra);
        notes = Map.copyOf(notes);
    }
}
