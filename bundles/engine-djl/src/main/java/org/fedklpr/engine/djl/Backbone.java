package org.fedklpr.engine.djl;

import ai.djl.nn.Block;

/** A feature extractor that ends in global pooling: images (N, 3, H, W) in, (N, outputDim) out. */
interface Backbone extends Block {
    int outputDim();

    /**
     * Multiply-accumulate operations of one forward pass of one image of this size through the
     * convolutions (what throughput reports convert to FLOP/s; pooling, batch norm and activations
     * are left out, as FLOP counters usually do).
     */
    long multiplyAdds(int height, int width);

    /** Output size of a convolution or pooling window along one axis. */
    static int outputSize(int input, int kernel, int stride, int padding) {
        return (input + 2 * padding - kernel) / stride + 1;
    }
}
