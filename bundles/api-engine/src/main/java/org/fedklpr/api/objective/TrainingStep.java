package org.fedklpr.api.objective;

import java.util.Map;

import ai.djl.ndarray.NDArray;

/**
 * What a {@link LocalObjective} sees of one training batch.
 *
 * @param features the local model's pre-neck features (the triplet loss's input), (batch, embeddingDim)
 * @param embeddings the local model's embeddings after the batch-norm neck, (batch, embeddingDim)
 * @param logits identity classifier logits, (batch, identities)
 * @param labels identity labels as integer classes, (batch); pseudo-identities in unsupervised training
 * @param globalEmbeddings the frozen global model's embeddings of the same batch; {@code null} unless
 *        an objective asks ({@link LocalObjective#needsGlobalEmbeddings()})
 * @param parameters the local model's trainable parameters by tensor name (they receive gradients)
 * @param globalParameters the round's global parameters by tensor name (constants); empty unless an
 *        objective asks ({@link LocalObjective#needsGlobalParameters()})
 * @param proxies in unsupervised training, each image's camera-aware proxy and the site's proxy
 *        memory ({@code labels} then holds pseudo-identities); {@code null} when training has labels
 */
public record TrainingStep(NDArray features, NDArray embeddings, NDArray logits, NDArray labels,
        NDArray globalEmbeddings, Map<String, NDArray> parameters, Map<String, NDArray> globalParameters,
        ProxyBatch proxies) {

    /** A step of training with identity labels. */
    public TrainingStep(NDArray features, NDArray embeddings, NDArray logits, NDArray labels,
            NDArray globalEmbeddings, Map<String, NDArray> parameters, Map<String, NDArray> globalParameters) {
        this(features, embeddings, logits, labels, globalEmbeddings, parameters, globalParameters, null);
    }
}
