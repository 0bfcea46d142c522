package org.fedklpr.engine.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.data.ReidImage;
import org.fedklpr.api.engine.ImageSet;
import org.fedklpr.api.engine.ReidNetwork;
import org.fedklpr.api.engine.ReidNetwork.NamedObjective;
import org.fedklpr.api.engine.TrainingReport;
import org.fedklpr.api.federation.NetworkSpec;
import org.fedklpr.api.federation.TrainingSettings;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.Tensor;
import org.fedklpr.api.model.TensorScope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ResNet backbones on the real engine: shapes, parameter counts, one training step, pretrained files,
 * memory handed back on close.
 */
class ResNetTest {
    private static DjlEngine engine;

    @BeforeAll
    static void startEngine(@TempDir Path cache) {
        engine = EngineTestSupport.startEngine(cache);
    }

    @AfterAll
    static void stop() {
        engine.deactivate();
    }

    /** Learnable values: what torchvision counts as parameters (batch-norm running statistics are buffers). */
    private static long learnable(ModelState state, String prefix) {
        return state.tensors().entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix) && !e.getKey().endsWith("runningMean")
                        && !e.getKey().endsWith("runningVar"))
                .mapToLong(e -> e.getValue().size()).sum();
    }

    @Test
    void theWideTinyCnnDoublesEveryStage() {
        try (ReidNetwork tiny = engine.create(new NetworkSpec("tiny-cnn", 0, 0, 128, 3, 1L));
                ReidNetwork wide = engine.create(new NetworkSpec("tiny-cnn-wide", 0, 0, 128, 3, 1L))) {
            // 3x3 convolutions without bias, 3 -> 32 -> 64 -> 128 -> 256 and twice that; gamma + beta per channel
            long tinyConvolutions = 9L * (3 * 32 + 32 * 64 + 64 * 128 + 128 * 256);
            long wideConvolutions = 9L * (3 * 64 + 64 * 128 + 128 * 256 + 256 * 512);
            assertEquals(tinyConvolutions + 2 * 480, learnable(tiny.read(TensorScope.WHOLE_MODEL), "backbone."));
            assertEquals(wideConvolutions + 2 * 960, learnable(wide.read(TensorScope.WHOLE_MODEL), "backbone."));
            assertEquals(List.of(64, 32), List.of(wide.spec().inputHeight(), wide.spec().inputWidth()));
            // 64x32 input, 2x2 pooling after each of the first three stages
            long wideMultiplyAdds = 9L * (64 * 32 * 3 * 64 + 32 * 16 * 64 * 128 + 16 * 8 * 128 * 256
                    + 8 * 4 * 256 * 512) + 512L * 128 + 128L * 3;
            assertEquals(wideMultiplyAdds, wide.multiplyAddsPerImage());
        }
    }

    @Test
    void backbonesHaveTorchvisionsParameterCounts() {
        // torchvision's resnet18/34/50 parameter counts minus their 1000-class classifier
        Map<String, Long> expected = Map.of("resnet18", 11_689_512L - 513_000, "resnet34", 21_797_672L - 513_000,
                "resnet50", 25_557_032L - 2_049_000);
        expected.forEach((architecture, count) -> {
            int embedding = architecture.equals("resnet50") ? 2048 : 512;
            try (ReidNetwork network = engine.create(new NetworkSpec(architecture, 64, 32, embedding, 3, 1L))) {
                ModelState state = network.read(TensorScope.WHOLE_MODEL);
                assertEquals(count, learnable(state, "backbone."), architecture);
                assertFalse(state.contains("embedding.weight"), "the neck sits on the pooled features");
            }
        });
        try (ReidNetwork usual = engine.create(new NetworkSpec("resnet18", 0, 0, 128, 3, 1L))) {
            // the count PyTorch forward hooks give for the same network at 256x128, last stride 1
            // (runtime/reference/pytorch_resnet_bench.py counts 1,990,057,472 with a 751-way head and no
            // embedding layer; here 512 -> 128 -> 3)
            assertEquals(1_990_057_472L - 512L * 751 + 512L * 128 + 128L * 3, usual.multiplyAddsPerImage());
            assertEquals(List.of(256, 128), List.of(usual.spec().inputHeight(), usual.spec().inputWidth()));
            assertTrue(usual.read(TensorScope.WHOLE_MODEL).contains("embedding.weight"), "512 -> 128 needs a layer");
        }
    }

    @Test
    void theGraphComputesWhatTheBlocksComputeInInferenceAndTraining() {
        for (String architecture : List.of("resnet18", "resnet50")) {
            assertGraphMatchesBlocks(architecture);
        }
    }

    /**
     * Two copies of a backbone with equal weights, one run as MXNet's graph, the other block by
     * block: equal outputs in inference, and in a training step equal outputs, gradients and
     * running statistics.
     */
    private static void assertGraphMatchesBlocks(String architecture) {
        ai.djl.engine.Engine djl = ai.djl.engine.Engine.getEngine("MXNet");
        ai.djl.ndarray.types.Shape input = new ai.djl.ndarray.types.Shape(4, 3, 64, 32);
        java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        float[] pixels = new float[Math.toIntExact(input.size())];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) (random.nextDouble() * 2 - 1);
        }
        try (ai.djl.ndarray.NDManager manager = djl.newBaseManager()) {
            ResNetBackbone graph = (ResNetBackbone) Architectures.backbone(architecture);
            ResNetBackbone blocks = (ResNetBackbone) Architectures.backbone(architecture);
            graph.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, input);
            blocks.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, input);
            Map<String, ai.djl.nn.Parameter> graphParameters = NamedParameters.of(graph);
            Map<String, ai.djl.nn.Parameter> blockParameters = NamedParameters.of(blocks);
            ModelState initial = WeightInitialisation.initialState(graphParameters, 3);
            initial.tensors().forEach((name, tensor) -> {
                for (Map<String, ai.djl.nn.Parameter> parameters : List.of(graphParameters, blockParameters)) {
                    try (ai.djl.ndarray.NDArray value = manager.create(tensor.values(),
                            parameters.get(name).getArray().getShape())) {
                        value.copyTo(parameters.get(name).getArray());
                    }
                }
            });
            ai.djl.training.ParameterStore store = new ai.djl.training.ParameterStore(manager, false);
            try (ai.djl.ndarray.NDManager scope = manager.newSubManager()) {
                ai.djl.ndarray.NDArray x = scope.create(pixels, input);
                assertClose(architecture + " inference", blocks.forwardBlockByBlock(store,
                        new ai.djl.ndarray.NDList(x), false).singletonOrThrow().toFloatArray(),
                        graph.forward(store, new ai.djl.ndarray.NDList(x), false).singletonOrThrow().toFloatArray());
            }
            float[] graphOutput;
            float[] blockOutput;
            try (ai.djl.ndarray.NDManager scope = manager.newSubManager()) {
                ai.djl.ndarray.NDArray x = scope.create(pixels, input);
                try (ai.djl.training.GradientCollector collector = djl.newGradientCollector()) {
                    ai.djl.ndarray.NDArray out = graph.forward(store, new ai.djl.ndarray.NDList(x), true)
                            .singletonOrThrow();
                    graphOutput = out.toFloatArray();
                    collector.backward(out.pow(2).mean());
                }
                try (ai.djl.training.GradientCollector collector = djl.newGradientCollector()) {
                    ai.djl.ndarray.NDArray out = blocks.forwardBlockByBlock(store, new ai.djl.ndarray.NDList(x), true)
                            .singletonOrThrow();
                    blockOutput = out.toFloatArray();
                    collector.backward(out.pow(2).mean());
                }
            }
            assertClose(architecture + " training output", blockOutput, graphOutput);
            for (String name : List.of("conv1.weight", "bn1.gamma", "layer1.b0.conv1.weight",
                    "layer2.b0.downsampleConv.weight", "layer4.b1.bn2.beta")) {
                assertClose(architecture + " gradient of " + name,
                        blockParameters.get(name).getArray().getGradient().toFloatArray(),
                        graphParameters.get(name).getArray().getGradient().toFloatArray());
            }
            for (String name : List.of("bn1.runningMean", "layer3.b1.bn1.runningVar")) {
                float[] moved = graphParameters.get(name).getArray().toFloatArray();
                assertNotEquals(initial.tensor(name).values()[0], moved[0], name + " did not move");
                assertClose(architecture + " " + name, blockParameters.get(name).getArray().toFloatArray(), moved);
            }
        }
    }

    /** Equal to float rounding: within 1e-4 of the largest magnitude, element by element. */
    private static void assertClose(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + ": length");
        double scale = 1e-30;
        for (float value : expected) {
            scale = Math.max(scale, Math.abs(value));
        }
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-4 * scale, what + ", element " + i);
        }
    }

    @Test
    void resnet50TrainsOneStepOnATinyBatchAndEmbedsIn2048Dimensions(@TempDir Path folder) {
        List<ReidImage> images = EngineTestSupport.writeIdentities(folder, 2, 2, 3);
        ImageSet set = engine.decode(images, 128, 64);
        int[] labels = set.images().stream().mapToInt(image -> image.personId() - 1).toArray();
        try (ReidNetwork network = engine.create(new NetworkSpec("resnet50", 128, 64, 2048, 2, 5L))) {
            ModelState before = network.read(TensorScope.WHOLE_MODEL);
            assertTrue(before.contains("backbone.layer1.b0.downsampleConv.weight"));
            assertTrue(before.contains("backbone.layer4.b2.conv3.weight"));
            assertEquals(List.of(2, 2048), List.of(before.tensor("head.weight").shape()[0],
                    before.tensor("head.weight").shape()[1]));
            TrainingReport report = network.train(set, labels,
                    new TrainingSettings(1, 4, "sgd", 0.01f, 10f, 0.9f, 5e-4f, 0, 1),
                    List.of(new NamedObjective("ce", EngineTestSupport.CROSS_ENTROPY)), ModelState.empty());
            assertEquals(1, report.steps());
            assertTrue(Double.isFinite(report.meanLoss()) && report.meanLoss() > 0, "loss " + report.meanLoss());
            ModelState after = network.read(TensorScope.WHOLE_MODEL);
            // the gradient reached the first convolution, through all 16 bottlenecks
            assertNotEquals(before.tensor("backbone.conv1.weight"), after.tensor("backbone.conv1.weight"));
            assertNotEquals(before.tensor("backbone.layer4.b2.bn3.runningMean"),
                    after.tensor("backbone.layer4.b2.bn3.runningMean"));
            float[][] embeddings = network.embed(set);
            assertEquals(4, embeddings.length);
            assertEquals(2048, embeddings[0].length);
        }
    }

    @Test
    void pretrainedWeightsLoadFromTorchvisionNamesAndMistakesAreNamed(@TempDir Path folder) throws IOException {
        NetworkSpec spec = new NetworkSpec("resnet18", 64, 32, 512, 3, 1L);
        Map<String, Tensor> torchvision = new LinkedHashMap<>();
        ModelState source;
        try (ReidNetwork network = engine.create(spec)) {
            source = network.read(TensorScope.BACKBONE);
        }
        source.tensors().forEach((name, tensor) -> torchvision.put(PretrainedWeights.torchvisionName(name), tensor));
        assertTrue(torchvision.containsKey("layer2.0.downsample.1.running_var"));
        assertTrue(torchvision.containsKey("bn1.weight"));
        torchvision.put("fc.weight", new Tensor(new int[] {2, 512}, new float[1024])); // ImageNet classifier
        Path file = folder.resolve("resnet18.npz");
        writeNpz(file, torchvision, true);

        try (ReidNetwork loaded = engine.create(spec.withSeed(2).withPretrainedWeights(file.toString()));
                ReidNetwork seeded = engine.create(spec.withSeed(2))) {
            assertEquals(source, loaded.read(TensorScope.BACKBONE));
            assertNotEquals(source, seeded.read(TensorScope.BACKBONE));
        }

        Map<String, Tensor> missing = new LinkedHashMap<>(torchvision);
        missing.remove("layer3.1.bn2.running_mean");
        writeNpz(file, missing, false);
        FedklprException absent = assertThrows(FedklprException.class,
                () -> engine.create(spec.withPretrainedWeights(file.toString())));
        assertTrue(absent.getMessage().contains("lack backbone.layer3.b1.bn2.runningMean (torchvision name "
                + "layer3.1.bn2.running_mean, shape [256])"), absent.getMessage());

        Map<String, Tensor> misshaped = new LinkedHashMap<>(torchvision);
        misshaped.put("conv1.weight", new Tensor(new int[] {64, 3, 3, 3}, new float[64 * 27]));
        writeNpz(file, misshaped, false);
        FedklprException shape = assertThrows(FedklprException.class,
                () -> engine.create(spec.withPretrainedWeights(file.toString())));
        assertTrue(shape.getMessage().contains("backbone.conv1.weight has shape [64, 3, 3, 3] but the resnet18 "
                + "backbone needs [64, 3, 7, 7]"), shape.getMessage());

        FedklprException none = assertThrows(FedklprException.class,
                () -> engine.create(spec.withPretrainedWeights(folder.resolve("none.npz").toString())));
        assertTrue(none.getMessage().contains("does not exist"), none.getMessage());
    }

    /**
     * What numpy.savez writes: one .npy (format 1.0) per stored (uncompressed) entry, plus an int64
     * entry as PyTorch state dicts have.
     */
    private static void writeNpz(Path file, Map<String, Tensor> arrays, boolean withInteger) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            for (Map.Entry<String, Tensor> entry : arrays.entrySet()) {
                Tensor tensor = entry.getValue();
                store(zip, entry.getKey(), npy("<f4", tensor.shape(), tensor.values().length * 4,
                        buffer -> buffer.asFloatBuffer().put(tensor.values())));
            }
            if (withInteger) {
                store(zip, "bn1.num_batches_tracked", npy("<i8", new int[0], 8, buffer -> buffer.putLong(42)));
            }
        }
    }

    private static void store(ZipOutputStream zip, String name, byte[] content) throws IOException {
        ZipEntry entry = new ZipEntry(name + ".npy");
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(content.length);
        CRC32 crc = new CRC32();
        crc.update(content);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(content);
        zip.closeEntry();
    }

    private static byte[] npy(String descr, int[] shape, int bytes, java.util.function.Consumer<ByteBuffer> fill)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes + 128);
        StringBuilder shapeText = new StringBuilder("(");
        for (int dimension : shape) {
            shapeText.append(dimension).append(", ");
        }
        shapeText.append(")");
        String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shapeText + ", }";
        int total = 10 + header.length() + 1;
        header = header + " ".repeat((64 - total % 64) % 64) + "\n";
        out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        out.write(new byte[] {(byte) (header.length() & 0xff), (byte) (header.length() >> 8)});
        out.write(header.getBytes(StandardCharsets.ISO_8859_1));
        ByteBuffer buffer = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        fill.accept(buffer);
        out.write(buffer.array());
        return out.toByteArray();
    }

    /**
     * A closed network leaves the process: with the launcher's malloc settings (the build sets them
     * for tests too) glibc would otherwise keep every page the network freed.
     */
    @Test
    void closingANetworkHandsItsMemoryBack() throws IOException {
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "needs Linux's /proc");
        assumeTrue(MallocTrim.available(), "not glibc: nothing to hand back through");
        // ResNet-50's weights alone are 100 MB; with its seeded initial values the network took about
        // 480 MB here, of which closing it gave back about 240 MB (nothing without the trim).
        ReidNetwork network = engine.create(new NetworkSpec("resnet50", 128, 64, 2048, 2, 5L));
        long open = MallocTrimTest.residentKiB();
        network.close();
        long closed = MallocTrimTest.residentKiB();
        assertTrue(open - closed > 100 * 1024,
                "resident memory went from " + open + " KiB to " + closed + " KiB when the network closed");
    }
}
