package org.fedklpr.engine.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import ai.djl.ndarray.NDArray;
import org.fedklpr.api.data.ReidImage;
import org.fedklpr.api.engine.EpochLabelling;
import org.fedklpr.api.engine.EpochTargets;
import org.fedklpr.api.engine.ImageSet;
import org.fedklpr.api.engine.ReidNetwork;
import org.fedklpr.api.engine.ReidNetwork.NamedObjective;
import org.fedklpr.api.engine.TrainingReport;
import org.fedklpr.api.federation.NetworkSpec;
import org.fedklpr.api.federation.TrainingSettings;
import org.fedklpr.api.model.ModelMask;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.Tensor;
import org.fedklpr.api.model.TensorScope;
import org.fedklpr.api.objective.LocalObjective;
import org.fedklpr.api.objective.ProxyMemory;
import org.fedklpr.api.pseudolabel.PseudoLabels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real engine, outside OSGi: offline start, parameter I/O, training, embeddings, decoding. */
class DjlEngineTest {
    private static final NetworkSpec SPEC = new NetworkSpec("tiny-cnn", 64, 32, 32, 6, 7L);
    private static final List<URI> CONNECTIONS = Collections.synchronizedList(new ArrayList<>());
    private static ProxySelector previousSelector;
    private static DjlEngine engine;

    private static final LocalObjective CROSS_ENTROPY = EngineTestSupport.CROSS_ENTROPY;

    @BeforeAll
    static void startEngine(@TempDir Path cache) {
        previousSelector = ProxySelector.getDefault();
        // Every URL connection the JVM opens asks the proxy selector first: record them all.
        ProxySelector.setDefault(new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                CONNECTIONS.add(uri);
                return List.of(Proxy.NO_PROXY);
            }

            @Override
            public void connectFailed(URI uri, SocketAddress address, IOException e) {
            }
        });
        engine = EngineTestSupport.startEngine(cache);
    }

    @AfterAll
    static void stop() {
        engine.deactivate();
        ProxySelector.setDefault(previousSelector);
    }

    @Test
    void startsOfflineAndOpensNoConnection() {
        try (ReidNetwork network = engine.create(SPEC)) {
            assertFalse(network.read(TensorScope.WHOLE_MODEL).isEmpty());
        }
        assertEquals("true", System.getProperty("ai.djl.offline"));
        assertEquals(List.of(), CONNECTIONS, "the engine must not open any URL connection");
    }

    @Test
    void equalSeedsGiveEqualWeightsAndScopesSplitTheHead() {
        try (ReidNetwork a = engine.create(SPEC); ReidNetwork b = engine.create(SPEC);
                ReidNetwork c = engine.create(SPEC.withSeed(8))) {
            ModelState whole = a.read(TensorScope.WHOLE_MODEL);
            assertEquals(whole, b.read(TensorScope.WHOLE_MODEL));
            assertNotEquals(whole, c.read(TensorScope.WHOLE_MODEL));
            assertTrue(whole.contains("head.weight"));
            assertTrue(whole.contains("backbone.conv1.weight"));
            assertTrue(whole.contains("neck.runningVar"));
            ModelState backbone = a.read(TensorScope.BACKBONE);
            assertFalse(backbone.names().stream().anyMatch(n -> n.startsWith("head.")));
            assertEquals(whole.names().size() - 1, backbone.names().size());
        }
    }

    @Test
    void parametersRoundTripBeforeAndAfterTraining(@TempDir Path folder) {
        List<ReidImage> images = EngineTestSupport.writeIdentities(folder, 6, 4, 1);
        ImageSet set = engine.decode(images, 64, 32);
        try (ReidNetwork network = engine.create(SPEC)) {
            assertRoundTrip(network, 11);
            network.train(set, labels(set), settings(1), List.of(new NamedObjective("ce", CROSS_ENTROPY)),
                    ModelState.empty());
            // After training MXNet holds MKL-DNN layouts; writing must still work.
            assertRoundTrip(network, 12);
        }
    }

    private static void assertRoundTrip(ReidNetwork network, long seed) {
        Random random = new Random(seed);
        Map<String, Tensor> changed = new LinkedHashMap<>();
        network.read(TensorScope.WHOLE_MODEL).tensors().forEach((name, tensor) -> {
            float[] values = new float[tensor.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) random.nextGaussian();
            }
            changed.put(name, new Tensor(tensor.shape(), values));
        });
        network.write(ModelState.of(changed));
        ModelState back = network.read(TensorScope.WHOLE_MODEL);
        changed.forEach((name, tensor) -> assertArrayEquals(tensor.values(), back.tensor(name).values(), name));
    }

    /**
     * Weights travel between Java and MXNet through staging memory freed at once: reading, writing
     * and constraining a network leave no direct byte buffers for the garbage collector to find (DJL's
     * own copies left one per tensor, a ResNet-50's 100 MB per read).
     */
    @Test
    void weightCopiesLeaveNoDirectBuffersBehind() {
        BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct")).findFirst().orElseThrow();
        try (ReidNetwork network = engine.create(SPEC)) {
            ModelState whole = network.read(TensorScope.WHOLE_MODEL);
            long bytes = whole.tensors().values().stream().mapToLong(t -> 4L * t.size()).sum();
            Map<String, BitSet> kept = new LinkedHashMap<>();
            whole.tensors().forEach((name, tensor) -> {
                BitSet bits = new BitSet(tensor.size());
                bits.set(0, tensor.size(), true);
                bits.clear(0);
                kept.put(name, bits);
            });
            long before = direct.getMemoryUsed();
            for (int i = 0; i < 10; i++) {
                network.write(whole);
                network.constrain(ModelMask.of(kept));
                network.constrain(null);
                whole = network.read(TensorScope.WHOLE_MODEL);
            }
            long grown = direct.getMemoryUsed() - before;
            assertTrue(grown < bytes, "direct buffers grew by " + grown + " bytes over ten copies of " + bytes);
            assertEquals(0f, whole.tensor("head.weight").values()[0], "the mask was applied");
        }
    }

    @Test
    void writeNamesTheOffendingTensor() {
        try (ReidNetwork network = engine.create(SPEC)) {
            IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> network
                    .write(ModelState.of(Map.of("backbone.conv9.weight", new Tensor(new int[] {1}, new float[1])))));
            assertTrue(unknown.getMessage().contains("backbone.conv9.weight"), unknown.getMessage());
            IllegalArgumentException shape = assertThrows(IllegalArgumentException.class, () -> network
                    .write(ModelState.of(Map.of("head.weight", new Tensor(new int[] {2, 2}, new float[4])))));
            assertTrue(shape.getMessage().contains("head.weight") && shape.getMessage().contains("[2, 2]"),
                    shape.getMessage());
        }
    }

    @Test
    void trainingLowersTheLossAndSeparatesIdentities(@TempDir Path folder) {
        List<ReidImage> images = EngineTestSupport.writeIdentities(folder, 6, 8, 2);
        ImageSet set = engine.decode(images, 64, 32);
        int[] labels = labels(set);
        try (ReidNetwork network = engine.create(SPEC)) {
            List<NamedObjective> objectives = List.of(new NamedObjective("ce", CROSS_ENTROPY));
            TrainingReport first = network.train(set, labels, settings(1), objectives, ModelState.empty());
            network.train(set, labels, settings(10), objectives, ModelState.empty());
            TrainingReport later = network.train(set, labels, settings(1), objectives, ModelState.empty());
            assertTrue(later.meanLoss() < first.meanLoss() * 0.5,
                    "loss should fall: first epoch " + first.meanLoss() + ", twelfth " + later.meanLoss());
            assertEquals(48, later.samples());
            assertEquals(6, later.steps());
            assertTrue(later.lossTerms().containsKey("ce"));

            float[][] embeddings = network.embed(set);
            assertEquals(48, embeddings.length);
            assertEquals(32, embeddings[0].length);
            double norm = 0;
            for (float v : embeddings[0]) {
                norm += v * v;
            }
            assertEquals(1.0, norm, 1e-4);
            // Nearest neighbour (other than itself) should mostly share the identity.
            int correct = 0;
            for (int i = 0; i < embeddings.length; i++) {
                int best = -1;
                double bestScore = -2;
                for (int j = 0; j < embeddings.length; j++) {
                    if (j != i) {
                        double score = 0;
                        for (int d = 0; d < 32; d++) {
                            score += embeddings[i][d] * embeddings[j][d];
                        }
                        if (score > bestScore) {
                            bestScore = score;
                            best = j;
                        }
                    }
                }
                correct += labels[best] == labels[i] ? 1 : 0;
            }
            assertTrue(correct >= 40, "nearest neighbour shares the identity for " + correct + "/48 (chance 7/48)");
        }
    }

    @Test
    void aConstraintKeepsPrunedWeightsAtZeroThroughWritesAndTraining(@TempDir Path folder) {
        List<ReidImage> images = EngineTestSupport.writeIdentities(folder, 6, 4, 5);
        ImageSet set = engine.decode(images, 64, 32);
        try (ReidNetwork network = engine.create(SPEC)) {
            BitSet kept = new BitSet();
            for (int i = 0; i < 864; i += 3) {
                kept.set(i);
            }
            network.constrain(ModelMask.of(Map.of("backbone.conv1.weight", kept)));
            assertPrunedAreZero(network, kept);
            network.write(network.read(TensorScope.WHOLE_MODEL).with(ModelState.of(Map.of("backbone.conv1.weight",
                    new Tensor(new int[] {32, 3, 3, 3}, filled(864, 0.5f))))));
            assertPrunedAreZero(network, kept);
            network.train(set, labels(set), settings(2), List.of(new NamedObjective("ce", CROSS_ENTROPY)),
                    ModelState.empty());
            float[] trained = assertPrunedAreZero(network, kept);
            assertTrue(trained[0] != 0.5f, "kept weights still train");
            network.constrain(null);
            network.write(ModelState.of(Map.of("backbone.conv1.weight", new Tensor(new int[] {32, 3, 3, 3},
                    filled(864, 0.25f)))));
            assertEquals(0.25f, network.read(TensorScope.BACKBONE).tensor("backbone.conv1.weight").values()[1]);
        }
    }

    private static float[] filled(int size, float value) {
        float[] values = new float[size];
        java.util.Arrays.fill(values, value);
        return values;
    }

    private static float[] assertPrunedAreZero(ReidNetwork network, BitSet kept) {
        float[] values = network.read(TensorScope.BACKBONE).tensor("backbone.conv1.weight").values();
        for (int i = 0; i < values.length; i++) {
            if (!kept.get(i)) {
                assertTrue(values[i] == 0f, "pruned element " + i + " is " + values[i]);
            }
        }
        return values;
    }

    @Test
    void classifyPredictsTheTrainedIdentities(@TempDir Path folder) {
        List<ReidImage> images = EngineTestSupport.writeIdentities(folder, 6, 6, 6);
        ImageSet set = engine.decode(images, 64, 32);
        int[] labels = labels(set);
        try (ReidNetwork network = engine.create(SPEC)) {
            network.train(set, labels, settings(10), List.of(new NamedObjective("ce", CROSS_ENTROPY)),
                    ModelState.empty());
            int[] predicted = network.classify(set);
            int correct = 0;
            for (int i = 0; i < labels.length; i++) {
                correct += predicted[i] == labels[i] ? 1 : 0;
            }
            assertTrue(correct >= 30, correct + "/36 training images classified correctly");
        }
    }

    @Test
    void identityBalancedBatchesHoldKImagesOfPIdentities() {
        int[] labels = {0, 0, 0, 1, 1, 2, 2, 2, 2, 3};
        int[] order = IdentitySampler.identityBalanced(labels, 4, 2, new java.util.SplittableRandom(3));
        assertEquals(2 * 4, order.length, "floor(10 / 4) = 2 batches of 2 identities x 2 images");
        for (int batch = 0; batch < 2; batch++) {
            for (int pair = 0; pair < 2; pair++) {
                int first = order[batch * 4 + pair * 2];
                int second = order[batch * 4 + pair * 2 + 1];
                assertEquals(labels[first], labels[second], "K images of one identity");
            }
            assertTrue(labels[order[batch * 4]] != labels[order[batch * 4 + 2]], "P different identities");
        }
        // Identity 3 has one image: it repeats rather than borrowing another identity's.
        assertEquals(2, IdentitySampler.identitiesPerBatch(labels, 4, 2));
        assertEquals(4, IdentitySampler.identitiesPerBatch(labels, 64, 4), "at most the 4 identities there are");
    }

    @Test
    void aBadImageIsSkippedWithItsReason(@TempDir Path folder) throws IOException {
        List<ReidImage> images = new ArrayList<>(EngineTestSupport.writeIdentities(folder, 2, 2, 3));
        Path broken = folder.resolve("0009_c1s1_000001_01.jpg");
        Files.writeString(broken, "this is not a jpeg");
        images.add(1, new ReidImage(broken, 9, 1));
        ImageSet set = engine.decode(images, 64, 32);
        assertEquals(4, set.size());
        assertEquals(1, set.skipped().size());
        assertEquals(broken, set.skipped().get(0).path());
        assertTrue(set.skipped().get(0).reason().contains("not a decodable image"), set.skipped().get(0).reason());
        assertEquals(images.get(0), set.images().get(0));
        assertEquals(images.get(2), set.images().get(1));
    }

    @Test
    void objectivesThatNeedTheGlobalModelSeeItsEmbeddings(@TempDir Path folder) {
        List<ReidImage> images = EngineTestSupport.writeIdentities(folder, 6, 4, 4);
        ImageSet set = engine.decode(images, 64, 32);
        try (ReidNetwork network = engine.create(SPEC)) {
            ModelState global = network.read(TensorScope.BACKBONE);
            List<Integer> globalRows = new ArrayList<>();
            LocalObjective distance = new LocalObjective() {
                @Override
                public NDArray loss(org.fedklpr.api.objective.TrainingStep step) {
                    globalRows.add(Math.toIntExact(step.globalEmbeddings().getShape().get(0)));
                    assertTrue(step.globalParameters().containsKey("backbone.conv1.weight"));
                    return step.embeddings().sub(step.globalEmbeddings()).pow(2).sum(new int[] {1}).mean();
                }

                @Override
                public boolean needsGlobalEmbeddings() {
                    return true;
                }

                @Override
                public boolean needsGlobalParameters() {
                    return true;
                }
            };
            TrainingReport report = network.train(set, labels(set), settings(1),
                    List.of(new NamedObjective("ce", CROSS_ENTROPY), new NamedObjective("distance", distance)),
                    global);
            assertEquals(List.of(8, 8, 8), globalRows);
            assertTrue(Double.isFinite(report.lossTerms().get("distance")));
        }
    }

    @Test
    void imagesBeyondTheCacheBudgetAreDecodedAgainOnUseWithTheSamePixels(@TempDir Path folder,
            @TempDir Path cache) {
        List<ReidImage> images = EngineTestSupport.writeIdentities(folder, 3, 4, 6);
        ImageSet inMemory = engine.decode(images, 64, 32);
        DjlEngine noCache = new DjlEngine(cache.toString(), 2, 0);
        try {
            ImageSet onDisk = noCache.decode(images, 64, 32);
            assertEquals(inMemory.size(), inMemory.keptInMemory());
            assertEquals(0, onDisk.keptInMemory());
            for (int i = 0; i < images.size(); i++) {
                assertArrayEquals(inMemory.pixels(i), onDisk.pixels(i));
            }
            ImageSet probe = onDisk.subset(new int[] {5, 2});
            assertArrayEquals(inMemory.pixels(2), probe.pixels(1));
            try (ReidNetwork network = noCache.create(SPEC)) {
                TrainingReport report = network.train(onDisk, labels(onDisk), settings(1),
                        List.of(new NamedObjective("ce", CROSS_ENTROPY)), ModelState.empty());
                assertTrue(report.steps() > 0 && Double.isFinite(report.meanLoss()));
                assertEquals(images.size(), network.embed(onDisk).length);
            }
        } finally {
            noCache.deactivate();
        }
    }

    @Test
    void flipFusionIsTheSameForAnImageAndItsMirrorImage(@TempDir Path folder) {
        ImageSet set = engine.decode(EngineTestSupport.writeIdentities(folder, 3, 2, 5), 64, 32);
        byte[][] mirrored = new byte[set.size()][];
        for (int i = 0; i < set.size(); i++) {
            byte[] rgb = set.pixels(i);
            mirrored[i] = new byte[rgb.length];
            for (int y = 0; y < 64; y++) {
                for (int x = 0; x < 32; x++) {
                    System.arraycopy(rgb, (y * 32 + x) * 3, mirrored[i], (y * 32 + 31 - x) * 3, 3);
                }
            }
        }
        ImageSet mirror = new ImageSet(set.images(), mirrored, 64, 32, List.of());
        try (ReidNetwork network = engine.create(SPEC)) {
            float[][] fused = network.embedWithFlip(set);
            float[][] fusedMirror = network.embedWithFlip(mirror);
            float[][] plain = network.embed(set);
            for (int i = 0; i < set.size(); i++) {
                assertArrayEquals(fused[i], fusedMirror[i], 1e-5f);
                assertFalse(java.util.Arrays.equals(fused[i], plain[i]));
                double norm = 0;
                for (float value : fused[i]) {
                    norm += value * value;
                }
                assertEquals(1.0, norm, 1e-4);
            }
        }
    }

    @Test
    void eachEpochTrainsOnTheTargetsChosenWhenItStarts(@TempDir Path folder) {
        List<ReidImage> images = EngineTestSupport.writeIdentities(folder, 6, 8, 3);
        ImageSet set = engine.decode(images, 64, 32);
        int[] identities = labels(set);
        List<Integer> epochsLabelled = new ArrayList<>();
        List<int[]> labelsSeen = new ArrayList<>();
        int[] stepsTaken = {0};
        LocalObjective recording = new LocalObjective() {
            @Override
            public NDArray loss(org.fedklpr.api.objective.TrainingStep step) {
                int[] batch = step.labels().toType(ai.djl.ndarray.types.DataType.INT32, false).toIntArray();
                assertArrayEquals(batch, step.proxies().proxies(), "the proxies of this test are the labels");
                labelsSeen.add(batch);
                return CROSS_ENTROPY.loss(step);
            }

            @Override
            public void stepTaken(org.fedklpr.api.objective.TrainingStep step) {
                stepsTaken[0]++;
            }
        };
        try (ReidNetwork network = engine.create(SPEC)) {
            EpochLabelling labelling = epoch -> {
                epochsLabelled.add(epoch);
                // The network being trained answers between steps.
                float[][] embeddings = network.embed(set);
                int[] labels = identities.clone();
                for (int i = 0; i < labels.length; i++) {
                    // In the first epoch the last three people sit out.
                    if (epoch == 0 && labels[i] >= 3) {
                        labels[i] = EpochTargets.SITS_OUT;
                    }
                }
                PseudoLabels pseudo = new PseudoLabels(labels, 6, labels, new int[] {0, 1, 2, 3, 4, 5},
                        new int[] {1, 1, 1, 1, 1, 1});
                return new EpochTargets(labels, labels, labels, ProxyMemory.ofCentroids(embeddings, pseudo));
            };
            TrainingReport report = network.train(set, labelling, settings(2),
                    List.of(new NamedObjective("recording", recording)), ModelState.empty(), ReidNetwork.StepListener.NONE);
            assertEquals(List.of(0, 1), epochsLabelled);
            // 24 images train in the first epoch (3 batches of 8), all 48 in the second (6).
            assertEquals(9, report.steps());
            assertEquals(9, stepsTaken[0]);
            assertEquals(48, report.samples());
            for (int step = 0; step < 3; step++) {
                for (int label : labelsSeen.get(step)) {
                    assertTrue(label < 3, "an image that sits out the first epoch trained in it: " + label);
                }
            }
            assertTrue(labelsSeen.subList(3, 9).stream().flatMapToInt(java.util.Arrays::stream).anyMatch(l -> l >= 3));
        }
    }

    private static int[] labels(ImageSet set) {
        return set.images().stream().mapToInt(image -> image.personId() - 1).toArray();
    }

    private static TrainingSettings settings(int epochs) {
        return new TrainingSettings(epochs, 8, "adam", 2e-3f, 1f, 0.9f, 5e-4f, 0, 99);
    }
}
