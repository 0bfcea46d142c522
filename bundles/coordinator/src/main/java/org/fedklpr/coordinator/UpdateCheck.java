package org.fedklpr.coordinator;

import java.util.Map;

import org.fedklpr.api.federation.ClientUpdate;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.Tensor;

/**
 * Why a client's update must not be aggregated, if it must not: it answers another round, its
 * training diverged, it carries other tensors or shapes than it was sent, or it holds a value that
 * is not finite.
 */
final class UpdateCheck {
    private UpdateCheck() {
    }

    /** A short reason for the log, or {@code null} when the update is sound. */
    static String problem(ClientUpdate update, String clientId, int round, ModelState sent) {
        if (!clientId.equals(update.clientId())) {
            return "it claims to come from client '" + update.clientId() + "'";
        }
        if (update.round() != round) {
            return "it answers round " + update.round();
        }
        Double diverged = update.metrics().get(ClientUpdate.DIVERGED_AT_STEP);
        if (diverged != null) {
            String why = update.notes().get(ClientUpdate.DIVERGENCE);
            return "training diverged: " + (why != null ? why : "at step " + diverged.intValue());
        }
        if (!update.state().names().equals(sent.names())) {
            return "it carries tensors " + update.state().names() + ", expected " + sent.names();
        }
        for (Map.Entry<String, Tensor> entry : update.state().tensors().entrySet()) {
            Tensor expected = sent.tensor(entry.getKey());
            Tensor tensor = entry.getValue();
            if (!tensor.sameShape(expected)) {
                return "tensor '" + entry.getKey() + "' has shape " + tensor.shapeText() + ", expected "
                        + expected.shapeText();
            }
            float[] values = tensor.values();
            for (int i = 0; i < values.length; i++) {
                if (!Float.isFinite(values[i])) {
                    return "tensor '" + entry.getKey() + "' holds " + values[i] + " at element " + i;
                }
            }
        }
        return null;
    }
}
