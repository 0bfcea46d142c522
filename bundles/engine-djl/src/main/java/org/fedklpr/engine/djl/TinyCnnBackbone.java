package org.fedklpr.engine.djl;

import java.util.Arrays;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A four-stage CNN for tests and the demo: each stage is a 3x3 convolution, batch norm and ReLU,
 * followed by 2x2 max pooling in the first three; global average pooling gives a 256-d vector.
 * About 0.4 M parameters, small enough to train federations on two CPU cores. {@value #WIDE_NAME}
 * doubles every stage's width (1.55 M convolution weights, four times the multiply-adds): the same
 * network with more redundancy, to see how pruning's cost depends on it.
 */
final class TinyCnnBackbone extends AbstractBlock implements Backbone {
    static final String NAME = "tiny-cnn";
    static final String WIDE_NAME = "tiny-cnn-wide";
    /** Its usual input: a quarter of the re-ID size in each direction, for speed on two cores. */
    private static final int INPUT_HEIGHT = 64;
    private static final int INPUT_WIDTH = 32;
    private static final int[] BASE_CHANNELS = {32, 64, 128, 256};

    private final int[] channels;
    private final Conv2d[] convs = new Conv2d[BASE_CHANNELS.length];
    private final BatchNorm[] norms = new BatchNorm[BASE_CHANNELS.length];

    /** @param widthFactor how many times the base width each stage has (1: tiny-cnn, 2: tiny-cnn-wide) */
    TinyCnnBackbone(int widthFactor) {
        channels = Arrays.stream(BASE_CHANNELS).map(c -> c * widthFactor).toArray();
        for (int stage = 0; stage < channels.length; stage++) {
            convs[stage] = addChildBlock("conv" + (stage + 1), Conv2d.builder()
                    .setKernelShape(new Shape(3, 3))
                    .optPadding(new Shape(1, 1))
                    .setFilters(channels[stage])
                    .optBias(false)
                    .build());
            norms[stage] = addChildBlock("bn" + (stage + 1), BatchNorm.builder().build());
        }
    }

    @Override
    public int usualInputHeight() {
        return INPUT_HEIGHT;
    }

    @Override
    public int usualInputWidth() {
        return INPUT_WIDTH;
    }

    @Override
    public int outputDim() {
        return channels[channels.length - 1];
    }

    @Override
    public long multiplyAdds(int height, int width) {
        long total = 0;
        int inputChannels = 3;
        for (int stage = 0; stage < channels.length; stage++) {
            total += (long) height * width * channels[stage] * inputChannels * 9;
            inputChannels = channels[stage];
            height /= 2;
            width /= 2;
        }
        return total;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        for (int stage = 0; stage < channels.length; stage++) {
            x = convs[stage].forward(store, new NDList(x), training).singletonOrThrow();
            x = norms[stage].forward(store, new NDList(x), training).singletonOrThrow();
            x = Activation.relu(x);
            if (stage < channels.length - 1) {
                x = Pool.maxPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
            }
        }
        return new NDList(x.mean(new int[] {2, 3}));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), channels[channels.length - 1])};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape shape = inputShapes[0];
        for (int stage = 0; stage < channels.length; stage++) {
            convs[stage].initialize(manager, dataType, shape);
            shape = convs[stage].getOutputShapes(new Shape[] {shape})[0];
            norms[stage].initialize(manager, dataType, shape);
            if (stage < channels.length - 1) {
                shape = new Shape(shape.get(0), shape.get(1), shape.get(2) / 2, shape.get(3) / 2);
            }
        }
    }
}
