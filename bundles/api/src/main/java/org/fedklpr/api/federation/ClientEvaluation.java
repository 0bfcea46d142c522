package org.fedklpr.api.federation;

import org.fedklpr.api.eval.ReidMetrics;

/** A client's scores of a global model on its own query and gallery sets. */
public record ClientEvaluation(String clientId, int round, ReidMetrics metrics) {
}
