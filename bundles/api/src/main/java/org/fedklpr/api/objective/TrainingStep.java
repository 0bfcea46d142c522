package org.fedklpr.api.objective;

import java.util.Map;

import ai.djl.ndarray.NDArray;

/** What a {@link LocalObjective} sees of one training batch. */
public interface TrainingStep {

    /** Local model's embeddings (after the batch-norm neck), shape (batch, embeddingDim). */
    NDArray embeddings();

    /** Local model's pre-neck features (the triplet loss's input), shape (batch, embeddingDim). */
    NDArray features();

    /** Identity classifier logits, shape (batch, identities). */
    NDArray logits();

    /** Identity labels as integer classes, shape (batch). */
    NDArray labels();

    /** The frozen global model's embeddings of the same batch; {@code null} unless an objective asks. */
    NDArray globalEmbeddings();

    /** The local model's trainable parameters by tensor name (they receive gradients). */
    Map<String, NDArray> parameters();

    /** The round's global parameters by tensor name (constants); empty unless an objective asks. */
    Map<String, NDArray> globalParameters();
}
