package org.fedklpr.engine.djl;

import ai.djl.nn.Block;

/** A feature extractor that ends in global pooling: images (N, 3, H, W) in, (N, outputDim) out. */
interface Backbone extends Block {
    /** The input size of the re-ID literature (H x W), what a backbone is trained at unless it says otherwise. */
    int REID_INPUT_HEIGHT = 256;
    int REID_INPUT_WIDTH = 128;

    int outputDim();

    /** The input height a network gets when its spec asks for the usual size (0 x 0). */
    default int usualInputHeight() {
        return REID_INPUT_HEIGHT;
    }

    /** The input width that goes with {@link #usualInputHeight()}. */
    default int usualInputWidth() {
        return REID_INPUT_WIDTH;
    }

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
