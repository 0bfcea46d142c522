package org.fedklpr.api.experiment;

import org.fedklpr.api.FedklprException;

/**
 * An experiment that started but could not go on: every update of a round was rejected (diverged
 * to NaN, say), so the global model would no longer learn, or the aggregated model cannot be
 * scored (its embeddings are not finite). The message names the round, the
 * clients and why; the run folder's {@code summary.json} records the failure and its last
 * completed round stays resumable.
 */
public class RunFailedException extends FedklprException {
    private static final long serialVersionUID = 1L;

    public RunFailedException(String message) {
        super(message);
    }

    public RunFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
