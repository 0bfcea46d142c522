package org.fedklpr.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The re-ID network: backbone, a linear embedding, a batch-norm neck (BNNeck) and a bias-free
 * identity classifier. The forward pass returns {@code (features, embeddings, logits)}: features
 * before the neck (for metric losses), embeddings after it (what retrieval uses), and logits.
 * When the embedding size equals the backbone's output (2048 for ResNet-50) there is no linear
 * embedding: the neck sits on the pooled features, as in the BNNeck baseline of Luo et al.
 */
final class ReidBlock extends AbstractBlock {
    private final Backbone backbone;
    /** Null when the neck sits directly on the pooled backbone features. */
    private final Linear embedding;
    private final BatchNorm neck;
    private final Linear head;
    private final int embeddingDim;
    private final int identities;

    ReidBlock(Backbone backbone, int embeddingDim, int identities) {
        this.backbone = addChildBlock("backbone", backbone);
        this.embeddingDim = embeddingDim;
        this.identities = identities;
        this.embedding = embeddingDim == backbone.outputDim() ? null
                : addChildBlock("embedding", Linear.builder().setUnits(embeddingDim).build());
        this.neck = addChildBlock("neck", BatchNorm.builder().build());
        // Named by Names.HEAD_PREFIX: the classifier stays on its client.
        this.head = addChildBlock("head", Linear.builder().setUnits(identities).optBias(false).build());
    }

    /** Forward multiply-adds per image: the backbone's, the embedding's and the classifier's. */
    long multiplyAdds(int height, int width) {
        long linear = (embedding == null ? 0 : (long) backbone.outputDim() * embeddingDim)
                + (long) embeddingDim * identities;
        return backbone.multiplyAdds(height, width) + linear;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray pooled = backbone.forward(store, inputs, training).singletonOrThrow();
        NDArray features = embedding == null ? pooled
                : embedding.forward(store, new NDList(pooled), training).singletonOrThrow();
        NDArray embeddings = neck.forward(store, new NDList(features), training).singletonOrThrow();
        NDArray logits = head.forward(store, new NDList(embeddings), training).singletonOrThrow();
        return new NDList(features, embeddings, logits);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape pooled = backbone.getOutputShapes(inputShapes)[0];
        Shape features = embedding == null ? pooled : embedding.getOutputShapes(new Shape[] {pooled})[0];
        Shape logits = head.getOutputShapes(new Shape[] {features})[0];
        return new Shape[] {features, features, logits};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        backbone.initialize(manager, dataType, inputShapes);
        Shape pooled = backbone.getOutputShapes(inputShapes)[0];
        Shape features = pooled;
        if (embedding != null) {
            embedding.initialize(manager, dataType, pooled);
            features = embedding.getOutputShapes(new Shape[] {pooled})[0];
        }
        neck.initialize(manager, dataType, features);
        head.initialize(manager, dataType, features);
    }
}
