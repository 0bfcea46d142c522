package org.fedklpr.api.compression;

import org.fedklpr.api.model.ModelMask;
import org.fedklpr.api.model.ModelState;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Reduces a site's update to what travels ({@code fedklpr.name} = the method, chosen by the
 * coordinator's {@code updateCompression}). The site passes the difference between its trained
 * tensors and the round's global ones plus the residual it carries; what the method does not send
 * becomes the next residual, kept in the site's state and its checkpoints. The coordinator adds what
 * arrives to the global tensors it sent, so every aggregator sees whole models and the accuracy
 * includes what compression left out.
 */
@ConsumerType
public interface UpdateCompression {

    /**
     * @param correctedDifference trained − global, plus the residual of earlier rounds (zeros in the
     *        first), tensor by tensor
     * @return what to send (zero wherever {@link Compressed#sent()} is not kept), which elements
     *         travel, and the new residual ({@code correctedDifference − sent})
     */
    Compressed compress(ModelState correctedDifference);

    /**
     * @param sent the difference values that travel, zero elsewhere
     * @param travelling per tensor, the elements that travel (the wire codec sends only these)
     * @param residual what is left for later rounds
     */
    record Compressed(ModelState sent, ModelMask travelling, ModelState residual) {
    }
}
