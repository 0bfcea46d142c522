package org.fedklpr.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One residual unit of a ResNet, as torchvision builds it: the basic unit (two 3x3 convolutions,
 * ResNet-18/34) or the bottleneck (1x1, 3x3 carrying the stride, 1x1 expanding four times;
 * ResNet-50, "v1.5"), each convolution followed by batch norm, and a 1x1 projection on the
 * shortcut when the shape changes. Child names follow torchvision ({@code conv1}, {@code bn1},
 * ...; the projection is {@code downsampleConv} / {@code downsampleBn}) so that pretrained weights
 * map by name.
 */
final class ResidualUnit extends AbstractBlock {
    static final int EXPANSION = 4;

    private final Conv2d[] convs;
    /** Kernel size, stride and filters of each convolution, for counting its cost. */
    private final int[][] layout;
    private final int inputChannels;
    private final int outputChannels;
    private final int stride;
    private final BatchNorm[] norms;
    private final Conv2d shortcutConv;
    private final BatchNorm shortcutNorm;

    /**
     * @param width channels of the unit's inner convolutions
     * @param stride spatial stride of the unit
     * @param inputChannels channels coming in, to decide whether the shortcut needs a projection
     */
    ResidualUnit(boolean bottleneck, int width, int stride, int inputChannels) {
        this.outputChannels = bottleneck ? width * EXPANSION : width;
        this.stride = stride;
        this.inputChannels = inputChannels;
        layout = bottleneck ? new int[][] {{1, 1, width}, {3, stride, width}, {1, 1, outputChannels}}
                : new int[][] {{3, stride, width}, {3, 1, width}};
        convs = new Conv2d[layout.length];
        for (int i = 0; i < layout.length; i++) {
            convs[i] = conv(layout[i][2], layout[i][0], layout[i][1]);
        }
        norms = new BatchNorm[convs.length];
        for (int i = 0; i < convs.length; i++) {
            addChildBlock("conv" + (i + 1), convs[i]);
            norms[i] = addChildBlock("bn" + (i + 1), BatchNorm.builder().build());
        }
        if (stride != 1 || inputChannels != outputChannels) {
            shortcutConv = addChildBlock("downsampleConv", conv(outputChannels, 1, stride));
            shortcutNorm = addChildBlock("downsampleBn", BatchNorm.builder().build());
        } else {
            shortcutConv = null;
            shortcutNorm = null;
        }
    }

    static Conv2d conv(int filters, int kernel, int stride) {
        return Conv2d.builder()
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(kernel / 2, kernel / 2))
                .setFilters(filters)
                .optBias(false)
                .build();
    }

    /**
     * Multiply-adds of this unit on an input of {@code size} = {channels, height, width}, which
     * becomes the output's size.
     */
    long multiplyAdds(int[] size) {
        int height = size[1];
        int width = size[2];
        int channels = inputChannels;
        long total = 0;
        for (int[] conv : layout) {
            int kernel = conv[0];
            height = Backbone.outputSize(height, kernel, conv[1], kernel / 2);
            width = Backbone.outputSize(width, kernel, conv[1], kernel / 2);
            total += (long) height * width * conv[2] * channels * kernel * kernel;
            channels = conv[2];
        }
        if (shortcutConv != null) {
            total += (long) height * width * channels * inputChannels;
        }
        size[0] = channels;
        size[1] = height;
        size[2] = width;
        return total;
    }

    /** This unit in a graph of the whole network: returns the node of its output. */
    int writeGraph(SymbolGraph graph, int input) {
        int x = input;
        for (int i = 0; i < convs.length; i++) {
            x = graph.batchNorm(norms[i], graph.convolution(convs[i], x, layout[i][0], layout[i][1], layout[i][2]));
            if (i < convs.length - 1) {
                x = graph.relu(x);
            }
        }
        int shortcut = input;
        if (shortcutConv != null) {
            shortcut = graph.batchNorm(shortcutNorm, graph.convolution(shortcutConv, input, 1, stride, outputChannels));
        }
        return graph.relu(graph.add(x, shortcut));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return forwardBlockByBlock(store, inputs, training);
    }

    /** Operator by operator (the network runs as a graph, see ResNetBackbone). */
    NDList forwardBlockByBlock(ParameterStore store, NDList inputs, boolean training) {
        NDArray input = inputs.singletonOrThrow();
        NDArray x = input;
        for (int i = 0; i < convs.length; i++) {
            x = convs[i].forward(store, new NDList(x), training).singletonOrThrow();
            x = norms[i].forward(store, new NDList(x), training).singletonOrThrow();
            if (i < convs.length - 1) {
                x = Activation.relu(x);
            }
        }
        NDArray shortcut = input;
        if (shortcutConv != null) {
            shortcut = shortcutConv.forward(store, new NDList(input), training).singletonOrThrow();
            shortcut = shortcutNorm.forward(store, new NDList(shortcut), training).singletonOrThrow();
        }
        return new NDList(Activation.relu(x.add(shortcut)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] shapes = inputShapes;
        for (Conv2d conv : convs) {
            shapes = conv.getOutputShapes(shapes);
        }
        return shapes;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape shape = inputShapes[0];
        for (int i = 0; i < convs.length; i++) {
            convs[i].initialize(manager, dataType, shape);
            shape = convs[i].getOutputShapes(new Shape[] {shape})[0];
            norms[i].initialize(manager, dataType, shape);
        }
        if (shortcutConv != null) {
            shortcutConv.initialize(manager, dataType, inputShapes[0]);
            shortcutNorm.initialize(manager, dataType, shortcutConv.getOutputShapes(inputShapes)[0]);
        }
    }
}
