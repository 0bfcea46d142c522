package org.fedklpr.engine.djl;

import java.nio.file.Path;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.LocalParameterServer;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import org.fedklpr.api.Names;
import org.fedklpr.api.engine.EpochLabelling;
import org.fedklpr.api.engine.EpochTargets;
import org.fedklpr.api.engine.ImageSet;
import org.fedklpr.api.engine.ReidNetwork;
import org.fedklpr.api.engine.TrainingReport;
import org.fedklpr.api.federation.NetworkSpec;
import org.fedklpr.api.federation.TrainingSettings;
import org.fedklpr.api.model.ModelMask;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.Tensor;
import org.fedklpr.api.model.TensorScope;
import org.fedklpr.api.objective.TrainingStep;

/** A {@link ReidNetwork} on DJL: one {@link ReidBlock} whose parameters live in one NDManager. */
final class DjlReidNetwork implements ReidNetwork {
    /**
     * Pixels of one inference batch: 8 images at 256x128. MXNet keeps every intermediate array of
     * a forward pass until the batch's manager closes, so memory grows with batch x image size: the
     * ResNet-50 evaluation of two clients peaked past 16 GB with 128 images per batch, at 7.4 GB
     * with 32 and at 3.6 GB with 8, which was also the fastest (docs/BENCHMARKS.md). The demo's
     * 64x32 images still go 128 at a time.
     */
    private static final int INFERENCE_PIXELS = 8 * 256 * 128;
    private static final int MAX_INFERENCE_BATCH = 128;

    private final NetworkSpec spec;
    private final Engine engine;
    private final NDManager manager;
    private final ReidBlock block;
    private final Map<String, Parameter> parameters;
    private final BatchAssembler assembler;
    /** Active pruning constraint: per masked tensor, 1 where kept and 0 where pruned. */
    private final Map<String, NDArray> keepMasks = new LinkedHashMap<>();

    DjlReidNetwork(Engine engine, NetworkSpec spec) {
        this.spec = spec;
        this.engine = engine;
        this.block = new ReidBlock(Architectures.backbone(spec.architecture()), spec.embeddingDim(), spec.identities());
        this.assembler = new BatchAssembler(spec.inputHeight(), spec.inputWidth());
        this.manager = engine.newBaseManager(Device.cpu());
        try {
            block.initialize(manager, DataType.FLOAT32, inputShape(1));
            this.parameters = NamedParameters.of(block);
            ModelState initial = WeightInitialisation.initialState(parameters, spec.seed());
            if (!spec.pretrainedWeights().isEmpty()) {
                // The backbone from the file, the rest (embedding, neck, head) seeded: one write.
                initial = initial.with(PretrainedWeights.load(Path.of(spec.pretrainedWeights()), parameters,
                        spec.architecture()));
            }
            write(initial);
        } catch (RuntimeException e) {
            manager.close(); // a network that failed to build must not keep its native memory
            throw e;
        }
    }

    @Override
    public NetworkSpec spec() {
        return spec;
    }

    @Override
    public long multiplyAddsPerImage() {
        return block.multiplyAdds(spec.inputHeight(), spec.inputWidth());
    }

    @Override
    public ModelState read(TensorScope scope) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        parameters.forEach((name, parameter) -> {
            if (scope.includes(name)) {
                NDArray array = parameter.getArray();
                tensors.put(name, new Tensor(DjlTensors.shape(array.getShape()), HostCopies.read(array)));
            }
        });
        return ModelState.of(tensors);
    }

    @Override
    public void write(ModelState state) {
        for (Map.Entry<String, Tensor> entry : state.tensors().entrySet()) {
            Parameter parameter = parameter(entry.getKey());
            Tensor tensor = entry.getValue();
            Shape shape = parameter.getArray().getShape();
            if (!shape.equals(DjlTensors.shape(tensor.shape()))) {
                throw new IllegalArgumentException("tensor '" + entry.getKey() + "' has shape " + tensor.shapeText()
                        + " but the network's is " + shape + " (" + spec.architecture() + ", " + spec.identities()
                        + " identities)");
            }
        }
        // Written into a fresh array and copied: MXNet refuses in-place writes into arrays that
        // hold MKL-DNN layouts after training.
        try (NDManager scratch = manager.newSubManager()) {
            for (Map.Entry<String, Tensor> entry : state.tensors().entrySet()) {
                Parameter parameter = parameters.get(entry.getKey());
                NDArray fresh = HostCopies.create(scratch, entry.getValue().values(),
                        parameter.getArray().getShape());
                fresh.copyTo(parameter.getArray());
            }
        }
        applyConstraint();
    }

    @Override
    public void constrain(ModelMask mask) {
        keepMasks.values().forEach(NDArray::close);
        keepMasks.clear();
        if (mask == null) {
            return;
        }
        for (Map.Entry<String, BitSet> entry : mask.tensors().entrySet()) {
            NDArray values = parameter(entry.getKey()).getArray();
            keepMasks.put(entry.getKey(), HostCopies.keepMask(manager, entry.getValue(), values.getShape()));
        }
        applyConstraint();
    }

    private void applyConstraint() {
        keepMasks.forEach((name, keep) -> parameters.get(name).getArray().muli(keep));
    }

    private Parameter parameter(String name) {
        Parameter parameter = parameters.get(name);
        if (parameter == null) {
            throw new IllegalArgumentException("the " + spec.architecture() + " network has no tensor '" + name
                    + "' (its tensors: " + String.join(", ", parameters.keySet()) + ")");
        }
        return parameter;
    }

    @Override
    public TrainingReport train(ImageSet images, int[] labels, TrainingSettings settings,
            List<NamedObjective> objectives, ModelState globalReference) {
        return train(images, labels, settings, objectives, globalReference, StepListener.NONE);
    }

    @Override
    public TrainingReport train(ImageSet images, int[] labels, TrainingSettings settings,
            List<NamedObjective> objectives, ModelState globalReference, StepListener progress) {
        checkLabels(images, labels);
        return train(images, EpochLabelling.fixed(labels), settings, objectives, globalReference, progress);
    }

    @Override
    public TrainingReport train(ImageSet images, EpochLabelling labelling, TrainingSettings settings,
            List<NamedObjective> objectives, ModelState globalReference, StepListener progress) {
        if (objectives.isEmpty()) {
            throw new IllegalArgumentException("training needs at least one objective");
        }
        long started = System.nanoTime();
        boolean needsEmbeddings = objectives.stream().anyMatch(o -> o.objective().needsGlobalEmbeddings());
        boolean needsParameters = objectives.stream().anyMatch(o -> o.objective().needsGlobalParameters());
        SplittableRandom random = new SplittableRandom(settings.seed());
        // The schedule draws from one stream and augmentation from another, so batches do not
        // depend on which thread assembles them; each epoch continues both streams.
        SplittableRandom augmentation = random.split();
        Map<String, Double> termSums = new LinkedHashMap<>();
        double lossSum = 0;
        int steps = 0;
        int divergedAtStep = 0;
        double waitSeconds = 0;
        long samples = 0;
        try (NDManager roundManager = manager.newSubManager();
                RoundOptimizers optimizer = optimizer(settings);
                GlobalReference global = needsEmbeddings || needsParameters
                        ? new GlobalReference(globalReference, roundManager, needsEmbeddings) : null) {
            ParameterStore store = new ParameterStore(roundManager, false);
            store.setParameterServer(new LocalParameterServer(optimizer.optimizer()), new Device[] {Device.cpu()});
            Map<String, NDArray> trainable = trainableArrays();
            // What a step creates in a weight's manager (gradient handles, copies) goes with the
            // round's manager when the round ends.
            lendParameters(roundManager);
            try {
                epochs:
                for (int epoch = 0; epoch < settings.epochs(); epoch++) {
                    EpochTargets targets = labelling.targets(epoch);
                    if (targets.labels().length != images.size()) {
                        throw new IllegalArgumentException(images.size() + " images but " + targets.labels().length
                                + " labels in epoch " + (epoch + 1));
                    }
                    EpochSchedule schedule = EpochSchedule.of(targets, settings, random);
                    samples = Math.max(samples, schedule.training());
                    // Steps still to come, as far as this epoch tells: later epochs may train on more or fewer images.
                    int expectedSteps = steps + schedule.batches().size() * (settings.epochs() - epoch);
                    try (BatchPipeline pipeline = new BatchPipeline(assembler, images, targets.labels(),
                            schedule.batches(), augmentation, settings.randomErasing())) {
                        for (int[] indices : schedule.batches()) {
                            int batchSize = indices.length;
                            BatchPipeline.Batch batch = pipeline.next();
                            try (NDManager stepManager = roundManager.newSubManager()) {
                                NDArray x = HostCopies.create(stepManager, batch.pixels(), inputShape(batchSize));
                                NDArray y = stepManager.create(batch.labels(), new Shape(batchSize));
                                pipeline.recycle(batch);
                                // The global model runs before gradients are recorded (see GlobalReference).
                                NDArray globalEmbeddings = needsEmbeddings ? global.embed(x) : null;
                                TrainingStep step;
                                try (GradientCollector collector = engine.newGradientCollector()) {
                                    NDList outputs = block.forward(store, new NDList(x), true);
                                    step = new TrainingStep(outputs.get(0), outputs.get(1), outputs.get(2), y,
                                            globalEmbeddings, trainable, global == null ? Map.of() : global.parameters(),
                                            schedule.proxyBatch(indices, targets));
                                    NDArray total = null;
                                    for (NamedObjective objective : objectives) {
                                        NDArray term = objective.objective().loss(step);
                                        termSums.merge(objective.name(), (double) term.getFloat(), Double::sum);
                                        total = total == null ? term : total.add(term);
                                    }
                                    float loss = total.getFloat();
                                    lossSum += loss;
                                    if (!Float.isFinite(loss)) {
                                        // Diverged: no step is taken from a NaN gradient, nor any after it.
                                        divergedAtStep = steps + 1;
                                        break epochs;
                                    }
                                    collector.backward(total);
                                }
                                store.updateAllParameters();
                                // Pruned weights stay pruned: the step may have moved them, so zero them again.
                                applyConstraint();
                                for (NamedObjective objective : objectives) {
                                    objective.objective().stepTaken(step);
                                }
                                steps++;
                            }
                            progress.stepDone(steps, expectedSteps, (long) steps * batchSize);
                        }
                        waitSeconds += pipeline.waitSeconds();
                    }
                }
            } finally {
                lendParameters(manager);
            }
        }
        // Every array of the round is free now: give glibc's retained pages back (see MallocTrim).
        MallocTrim.releaseFreedMemory();
        // The losses summed include the diverged step's.
        int stepCount = Math.max(1, steps + (divergedAtStep > 0 ? 1 : 0));
        Map<String, Double> termMeans = termSums.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue() / stepCount, (a, b) -> a,
                        LinkedHashMap::new));
        return new TrainingReport(lossSum / stepCount, termMeans, samples, steps,
                (System.nanoTime() - started) / 1e9, waitSeconds, divergedAtStep);
    }

    private void lendParameters(NDManager owner) {
        for (Parameter parameter : parameters.values()) {
            parameter.getArray().attach(owner);
        }
    }

    private void checkLabels(ImageSet images, int[] labels) {
        if (labels.length != images.size()) {
            throw new IllegalArgumentException(images.size() + " images but " + labels.length + " labels");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= spec.identities()) {
                throw new IllegalArgumentException("label " + labels[i] + " of " + images.images().get(i).path()
                        + " is outside the head's " + spec.identities() + " classes");
            }
        }
    }

    private RoundOptimizers optimizer(TrainingSettings settings) {
        Set<String> headIds = parameters.entrySet().stream()
                .filter(e -> e.getKey().startsWith(Names.HEAD_PREFIX))
                .map(e -> e.getValue().getId())
                .collect(Collectors.toSet());
        float rate = settings.learningRate();
        float headRate = rate * settings.headLearningRateFactor();
        ParameterTracker learningRate = (parameterId, update) -> headIds.contains(parameterId) ? headRate : rate;
        if ("adam".equals(settings.optimizer())) {
            return RoundOptimizers.adam(Optimizer.adam().optLearningRateTracker(learningRate)
                    .optWeightDecays(settings.weightDecay()));
        }
        return RoundOptimizers.sgd(Optimizer.sgd().setLearningRateTracker(learningRate).optMomentum(settings.momentum())
                .optWeightDecays(settings.weightDecay()));
    }

    private Map<String, NDArray> trainableArrays() {
        Map<String, NDArray> trainable = new LinkedHashMap<>();
        parameters.forEach((name, parameter) -> {
            if (parameter.requiresGradient()) {
                trainable.put(name, parameter.getArray());
            }
        });
        return trainable;
    }

    @Override
    public float[][] embed(ImageSet images) {
        float[][] embeddings = new float[images.size()][];
        int dim = spec.embeddingDim();
        infer(images, false, (from, outputs) -> {
            float[] flat = HostCopies.read(outputs.get(1));
            for (int i = 0; i < flat.length / dim; i++) {
                embeddings[from + i] = l2Normalised(flat, i * dim, dim);
            }
        });
        return embeddings;
    }

    @Override
    public float[][] embedWithFlip(ImageSet images) {
        int dim = spec.embeddingDim();
        float[][] sums = new float[images.size()][dim];
        for (boolean mirrored : new boolean[] {false, true}) {
            infer(images, mirrored, (from, outputs) -> {
                float[] flat = HostCopies.read(outputs.get(1));
                for (int i = 0; i < flat.length / dim; i++) {
                    for (int d = 0; d < dim; d++) {
                        sums[from + i][d] += flat[i * dim + d];
                    }
                }
            });
        }
        for (int i = 0; i < sums.length; i++) {
            sums[i] = l2Normalised(sums[i], 0, dim);
        }
        return sums;
    }

    @Override
    public int[] classify(ImageSet images) {
        int[] classes = new int[images.size()];
        infer(images, false, (from, outputs) -> {
            int[] best = outputs.get(2).argMax(1).toType(DataType.INT32, false).toIntArray();
            System.arraycopy(best, 0, classes, from, best.length);
        });
        return classes;
    }

    /**
     * Runs the network in inference mode over {@code images} (mirrored if asked) in batches; outputs
     * as in ReidBlock.
     */
    private void infer(ImageSet images, boolean mirrored, BiConsumer<Integer, NDList> consumer) {
        int[] all = new int[images.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        ParameterStore store = new ParameterStore(manager, false);
        float[] batch = new float[0];
        int batchSize = Math.max(1, Math.min(MAX_INFERENCE_BATCH,
                INFERENCE_PIXELS / (spec.inputHeight() * spec.inputWidth())));
        for (int from = 0; from < images.size(); from += batchSize) {
            int count = Math.min(batchSize, images.size() - from);
            if (batch.length != count * assembler.imageSize()) {
                batch = new float[count * assembler.imageSize()];
            }
            if (mirrored) {
                assembler.fillMirrored(batch, images, all, from, count);
            } else {
                assembler.fill(batch, images, all, from, count, null);
            }
            try (NDManager scratch = manager.newSubManager()) {
                NDArray pixels = HostCopies.create(scratch, batch, inputShape(count));
                consumer.accept(from, block.forward(store, new NDList(pixels), false));
            }
        }
    }

    private static float[] l2Normalised(float[] flat, int offset, int dim) {
        double norm = 0;
        for (int d = 0; d < dim; d++) {
            norm += (double) flat[offset + d] * flat[offset + d];
        }
        float scale = (float) (1.0 / Math.max(Math.sqrt(norm), 1e-12));
        float[] row = new float[dim];
        for (int d = 0; d < dim; d++) {
            row[d] = flat[offset + d] * scale;
        }
        return row;
    }

    private Shape inputShape(int batch) {
        return new Shape(batch, 3, spec.inputHeight(), spec.inputWidth());
    }

    @Override
    public void close() {
        manager.close();
        // The network's weights, the graph's planned buffers and the layout copies are free now, but
        // with the launcher's malloc settings glibc would keep every page of them (a ResNet-50: about
        // 240 MB) for as long as the process lives; handed back here, as after each local training.
        MallocTrim.releaseFreedMemory();
    }

    /**
     * The round's global model for objectives that compare with it: its parameters as constants and,
     * when embeddings are asked for, a frozen copy of the network. That copy runs in inference mode
     * before the gradient collector opens: inside it MXNet rejects inference-mode batch norm, and a
     * training-mode pass would move the global model's batch-norm statistics.
     */
    private final class GlobalReference implements AutoCloseable {
        private final NDManager globalManager;
        private final ReidBlock globalBlock;
        private final ParameterStore store;
        private final Map<String, NDArray> globalParameters = new LinkedHashMap<>();

        GlobalReference(ModelState reference, NDManager parent, boolean withNetwork) {
            if (reference.isEmpty()) {
                throw new IllegalArgumentException("an objective needs the global model but none was given");
            }
            globalManager = parent.newSubManager();
            globalBlock = withNetwork ? new ReidBlock(Architectures.backbone(spec.architecture()), spec.embeddingDim(),
                    spec.identities()) : null;
            Map<String, Parameter> named = parameters;
            if (globalBlock != null) {
                globalBlock.initialize(globalManager, DataType.FLOAT32, inputShape(1));
                named = NamedParameters.of(globalBlock);
            }
            for (Map.Entry<String, Tensor> entry : reference.tensors().entrySet()) {
                Parameter parameter = named.get(entry.getKey());
                if (parameter == null) {
                    throw new IllegalArgumentException("global model tensor '" + entry.getKey()
                            + "' does not exist in the " + spec.architecture() + " network");
                }
                NDArray value = HostCopies.create(globalManager, entry.getValue().values(),
                        parameter.getArray().getShape());
                if (globalBlock != null) {
                    value.copyTo(parameter.getArray());
                }
                globalParameters.put(entry.getKey(), value);
            }
            store = new ParameterStore(globalManager, false);
        }

        /**
         * The global model's embeddings of a batch, owned by the batch's manager. The forward pass
         * runs on a copy of the batch in a manager of its own, so that its intermediate arrays
         * (gigabytes for ResNet-50 at 256x128) are freed at once instead of at the end of the step.
         */
        NDArray embed(NDArray images) {
            try (NDManager scope = images.getManager().newSubManager()) {
                NDArray copy = images.duplicate();
                copy.attach(scope);
                NDArray embeddings = globalBlock.forward(store, new NDList(copy), false).get(1).stopGradient();
                embeddings.attach(images.getManager());
                return embeddings;
            }
        }

        Map<String, NDArray> parameters() {
            return globalParameters;
        }

        @Override
        public void close() {
            globalManager.close();
        }
    }
}
