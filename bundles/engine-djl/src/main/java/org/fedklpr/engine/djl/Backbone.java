package org.fedklpr.engine.djl;

import ai.djl.nn.Block;

/** A feature extractor that ends in global pooling: images (N, 3, H, W) in, (N, outputDim) out. */
interface Backbone extends Block {
    int outputDim();
}
