package org.fedklpr.engine.djl;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * ResNet-18/34/50 as a re-ID backbone: torchvision's network without its ImageNet classifier, the
 * last stage's stride set to 1 (the re-ID "last stride" trick: a 16x8 final map at 256x128, twice
 * the resolution for the same weights) and global average pooling. Parameter names follow
 * torchvision's ({@code conv1}, {@code bn1}, {@code layer3.b2.conv2}: {@code b<i>} for torchvision's
 * {@code <i>}, see {@link PretrainedWeights}).
 */
final class ResNetBackbone extends AbstractBlock implements Backbone {

    /** The depths this engine builds: unit type and units per stage. */
    enum Depth {
        RESNET18("resnet18", false, 2, 2, 2, 2),
        RESNET34("resnet34", false, 3, 4, 6, 3),
        RESNET50("resnet50", true, 3, 4, 6, 3);

        final String architecture;
        final boolean bottleneck;
        final int[] units;

        Depth(String architecture, boolean bottleneck, int... units) {
            this.architecture = architecture;
            this.bottleneck = bottleneck;
            this.units = units;
        }
    }

    private static final int[] WIDTHS = {64, 128, 256, 512};

    private final Conv2d stem;
    private final BatchNorm stemNorm;
    private final List<Stage> stages = new ArrayList<>();
    private final int outputDim;
    /** Where the compiled graph lives: the manager the parameters were created in. */
    private NDManager graphManager;
    private CompiledGraph compiled;

    ResNetBackbone(Depth depth, int lastStride) {
        stem = addChildBlock("conv1", Conv2d.builder().setKernelShape(new Shape(7, 7)).optStride(new Shape(2, 2))
                .optPadding(new Shape(3, 3)).setFilters(64).optBias(false).build());
        stemNorm = addChildBlock("bn1", BatchNorm.builder().build());
        int channels = 64;
        for (int s = 0; s < WIDTHS.length; s++) {
            int stride = s == 0 ? 1 : s == WIDTHS.length - 1 ? lastStride : 2;
            Stage stage = new Stage(depth.bottleneck, WIDTHS[s], depth.units[s], stride, channels);
            stages.add(addChildBlock("layer" + (s + 1), stage));
            channels = depth.bottleneck ? WIDTHS[s] * ResidualUnit.EXPANSION : WIDTHS[s];
        }
        outputDim = channels;
    }

    @Override
    public int outputDim() {
        return outputDim;
    }

    @Override
    public long multiplyAdds(int height, int width) {
        int h = Backbone.outputSize(height, 7, 2, 3);
        int w = Backbone.outputSize(width, 7, 2, 3);
        long total = (long) h * w * 64 * 3 * 49;
        int[] size = {64, Backbone.outputSize(h, 3, 2, 1), Backbone.outputSize(w, 3, 2, 1)};
        for (Stage stage : stages) {
            for (Block unit : stage.units) {
                total += ((ResidualUnit) unit).multiplyAdds(size);
            }
        }
        return total;
    }

    /** Runs the network as one MXNet graph (see {@link CompiledGraph}), compiled on first use. */
    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return compiled().forward(store, inputs, training);
    }

    private synchronized CompiledGraph compiled() {
        if (compiled == null) {
            SymbolGraph graph = new SymbolGraph();
            int x = graph.relu(graph.batchNorm(stemNorm, graph.convolution(stem, graph.input(), 7, 2, 64)));
            x = graph.maxPool(x, 3, 2, 1);
            for (Stage stage : stages) {
                for (ResidualUnit unit : stage.units) {
                    x = unit.writeGraph(graph, x);
                }
            }
            compiled = new CompiledGraph(graphManager, graph, graph.spatialMean(x));
        }
        return compiled;
    }

    /**
     * The same network block by block, operator by operator: the definition the graph is checked
     * against (ResNetTest), and what it would be without MXNet's graph executor.
     */
    NDList forwardBlockByBlock(ParameterStore store, NDList inputs, boolean training) {
        NDArray x = stem.forward(store, inputs, training).singletonOrThrow();
        x = Activation.relu(stemNorm.forward(store, new NDList(x), training).singletonOrThrow());
        x = Pool.maxPool2d(x, new Shape(3, 3), new Shape(2, 2), new Shape(1, 1), false);
        NDList current = new NDList(x);
        for (Stage stage : stages) {
            current = stage.forward(store, current, training);
        }
        return new NDList(current.singletonOrThrow().mean(new int[] {2, 3}));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), outputDim)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        graphManager = manager;
        stem.initialize(manager, dataType, inputShapes);
        Shape shape = stem.getOutputShapes(inputShapes)[0];
        stemNorm.initialize(manager, dataType, shape);
        // max pooling 3x3, stride 2, padding 1
        shape = new Shape(shape.get(0), shape.get(1), (shape.get(2) - 1) / 2 + 1, (shape.get(3) - 1) / 2 + 1);
        for (Stage stage : stages) {
            stage.initialize(manager, dataType, shape);
            shape = stage.getOutputShapes(new Shape[] {shape})[0];
        }
    }

    /** One stage ({@code layer1}..{@code layer4}): residual units {@code b0}, {@code b1}, ... */
    private static final class Stage extends AbstractBlock {
        private final List<ResidualUnit> units = new ArrayList<>();

        Stage(boolean bottleneck, int width, int count, int stride, int inputChannels) {
            int channels = inputChannels;
            for (int u = 0; u < count; u++) {
                units.add(addChildBlock("b" + u, new ResidualUnit(bottleneck, width, u == 0 ? stride : 1, channels)));
                channels = bottleneck ? width * ResidualUnit.EXPANSION : width;
            }
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                PairList<String, Object> params) {
            NDList x = inputs;
            for (Block unit : units) {
                x = unit.forward(store, x, training);
            }
            return x;
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            Shape[] shapes = inputShapes;
            for (Block unit : units) {
                shapes = unit.getOutputShapes(shapes);
            }
            return shapes;
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            Shape[] shapes = inputShapes;
            for (Block unit : units) {
                unit.initialize(manager, dataType, shapes);
                shapes = unit.getOutputShapes(shapes);
            }
        }
    }
}
