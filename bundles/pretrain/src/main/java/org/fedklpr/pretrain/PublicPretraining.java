package org.fedklpr.pretrain;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.data.DatasetGenerator;
import org.fedklpr.api.data.DatasetProvider;
import org.fedklpr.api.data.ReidDataset;
import org.fedklpr.api.data.ReidImage;
import org.fedklpr.api.engine.BackbonePretraining;
import org.fedklpr.api.engine.LearningEngine;
import org.fedklpr.api.engine.ReidNetwork.NamedObjective;
import org.fedklpr.api.eval.ReidEvaluator;
import org.fedklpr.api.federation.NetworkSpec;
import org.fedklpr.api.objective.LocalObjective;
import org.fedklpr.files.NpzWriter;
import org.fedklpr.named.NamedServices;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;

/**
 * Pretraining on public data, configured under {@value #PID}: the public dataset comes from a
 * {@link DatasetGenerator} (by default the public synthetic world, with its own seed), the network
 * is trained centrally ({@link BackboneTrainer}), and its backbone is kept as a {@code .npz} in a
 * cache folder under a name that digests everything the weights depend on, so an identical request
 * reuses it and a changed setting trains anew. Processes that ask at the same time (the sites of a
 * loopback federation) take turns on a file lock: one trains, the others find its file.
 */
@Component(configurationPid = PublicPretraining.PID, service = BackbonePretraining.class)
@Designate(ocd = PublicPretraining.Config.class)
public final class PublicPretraining implements BackbonePretraining {
    static final String PID = "org.fedklpr.pretrain";

    @ObjectClassDefinition(name = "FedKLPR pretraining on public data",
            description = "How the backbone that pretrainedWeights=public names is trained; fedklpr pretrain makes "
                    + "it ahead of time")
    @interface Config {
        @AttributeDefinition(description = "Dataset generator of the public data (its own PID sets the sizes)")
        String generator() default "synthetic-public";

        @AttributeDefinition(description = "Seed of the public data and of the training; apart from every "
                + "experiment's seed, so the public people are nobody's clients")
        long seed() default 1_000_003L;

        @AttributeDefinition(description = "Training epochs over the public data (the last third at a tenth of "
                + "the learning rate)", min = "1")
        int epochs() default 40;

        @AttributeDefinition(description = "Images per step", min = "2")
        int batchSize() default 32;

        @AttributeDefinition(description = "SGD step size", min = "0")
        double learningRate() default 0.05;

        @AttributeDefinition(description = "SGD momentum", min = "0", max = "1")
        double momentum() default 0.9;

        @AttributeDefinition(description = "L2 weight decay", min = "0")
        double weightDecay() default 5e-4;

        @AttributeDefinition(description = "Objectives minimised, by name")
        String[] objectives() default {"identity-ce"};

        @AttributeDefinition(description = "Score the public test split every this many epochs (progress only; "
                + "the weights do not depend on it)", min = "1")
        int evaluateEvery() default 5;

        @AttributeDefinition(description = "Name of the learning engine")
        String engine() default "djl";

        @AttributeDefinition(description = "Name of the re-ID evaluator of the progress line")
        String evaluator() default "market1501";

        @AttributeDefinition(description = "Folder of the public data and the pretrained files (relative: to the "
                + "platform's folder)")
        String cache() default "data/pretrained";
    }

    private final NamedServices<LearningEngine> engines = new NamedServices<>("learning engine");
    private final NamedServices<DatasetGenerator> generators = new NamedServices<>("dataset generator");
    private final NamedServices<DatasetProvider> providers = new NamedServices<>("dataset format");
    private final NamedServices<LocalObjective> objectives = new NamedServices<>("objective");
    private final NamedServices<ReidEvaluator> evaluators = new NamedServices<>("evaluator");
    private volatile Config config;

    @Activate
    public PublicPretraining(Config config) {
        this.config = config;
    }

    @Modified
    void modified(Config changed) {
        this.config = changed;
    }

    @Override
    public synchronized Path backboneFor(NetworkSpec network, Consumer<String> progress) {
        Config current = config;
        List<String> problems = new ArrayList<>();
        generators.missing(List.of(current.generator())).forEach(p -> problems.add(PID + ":generator="
                + current.generator() + ": " + p));
        engines.missing(List.of(current.engine())).forEach(p -> problems.add(PID + ":engine=" + current.engine()
                + ": " + p));
        objectives.missing(List.of(current.objectives())).forEach(p -> problems.add(PID + ":objectives="
                + String.join(",", current.objectives()) + ": " + p));
        evaluators.missing(List.of(current.evaluator())).forEach(p -> problems.add(PID + ":evaluator="
                + current.evaluator() + ": " + p));
        if (!problems.isEmpty()) {
            throw new FedklprException(String.join("\n", problems));
        }
        Path cache = Path.of(current.cache());
        try {
            Files.createDirectories(cache);
            try (FileChannel lockFile = FileChannel.open(cache.resolve(".pretraining.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock lock = lockFile.lock()) {
                return cachedOrTrained(current, network, cache, progress);
            }
        } catch (IOException e) {
            throw new FedklprException("cannot use the pretraining cache " + cache.toAbsolutePath() + ": "
                    + e.getMessage(), e);
        }
    }

    private Path cachedOrTrained(Config current, NetworkSpec network, Path cache, Consumer<String> progress)
            throws IOException {
        DatasetGenerator generator = generators.get(current.generator());
        Path worldRoot = cache.resolve("public-" + current.generator() + "-" + current.seed());
        List<Path> folders = generator.generate(worldRoot, current.seed());
        ReidDataset data = providers.await(generator.format()).load(folders.get(0));
        Map<String, Object> recipe = recipe(current, network, data);
        String digest = digest(recipe);
        Path file = cache.resolve(String.format(Locale.ROOT, "%s-%dx%d-e%d-%s.npz", network.architecture(),
                network.inputHeight(), network.inputWidth(), network.embeddingDim(), digest));
        if (Files.isRegularFile(file)) {
            return file;
        }
        List<NamedObjective> terms = new ArrayList<>();
        for (String name : current.objectives()) {
            terms.add(new NamedObjective(name, objectives.get(name)));
        }
        BackboneTrainer.Outcome outcome = BackboneTrainer.train(engines.get(current.engine()), network, data, terms,
                evaluators.get(current.evaluator()), new BackboneTrainer.Settings(current.epochs(),
                        current.batchSize(), (float) current.learningRate(), (float) current.momentum(),
                        (float) current.weightDecay(), current.seed(), current.evaluateEvery()), progress);
        // Written beside and moved into place: a file under the final name is always whole.
        Path partial = Files.createTempFile(cache, ".pretraining-", ".npz");
        try {
            try (OutputStream out = Files.newOutputStream(partial)) {
                NpzWriter.write(outcome.backbone(), out);
            }
            JsonObject record = new GsonBuilder().create().toJsonTree(recipe).getAsJsonObject();
            record.addProperty("public_test_rank1", outcome.rank1());
            record.addProperty("public_test_mAP", outcome.mAP());
            record.addProperty("train_images", outcome.trainImages());
            record.addProperty("seconds", outcome.seconds());
            Files.writeString(cache.resolve(file.getFileName().toString().replace(".npz", ".json")),
                    new GsonBuilder().setPrettyPrinting().create().toJson(record) + "\n", StandardCharsets.UTF_8);
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
        progress.accept(String.format(Locale.ROOT, "pretrain: %d backbone tensors written to %s in %.0f s (public "
                + "test Rank-1 %.1f %%, mAP %.1f %%)", outcome.backbone().size(), file, outcome.seconds(),
                100 * outcome.rank1(), 100 * outcome.mAP()));
        return file;
    }

    /** Everything the weights depend on; the public data by its files' names and sizes. */
    static Map<String, Object> recipe(Config current, NetworkSpec network, ReidDataset data) throws IOException {
        MessageDigest files = sha256();
        for (List<ReidImage> split : List.of(data.train(), data.query(), data.gallery())) {
            for (ReidImage image : split) {
                files.update((image.path().getFileName() + ":" + Files.size(image.path()) + "\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
        }
        Map<String, Object> recipe = new LinkedHashMap<>();
        recipe.put("architecture", network.architecture());
        recipe.put("input", network.inputHeight() + "x" + network.inputWidth());
        recipe.put("embedding", network.embeddingDim());
        recipe.put("engine", current.engine());
        recipe.put("generator", current.generator());
        recipe.put("public_data_files", HexFormat.of().formatHex(files.digest()));
        recipe.put("seed", current.seed());
        recipe.put("epochs", current.epochs());
        recipe.put("batch_size", current.batchSize());
        recipe.put("learning_rate", current.learningRate());
        recipe.put("momentum", current.momentum());
        recipe.put("weight_decay", current.weightDecay());
        recipe.put("objectives", List.of(current.objectives()));
        return recipe;
    }

    static String digest(Map<String, Object> recipe) {
        return HexFormat.of().formatHex(sha256().digest(recipe.toString().getBytes(StandardCharsets.UTF_8)))
                .substring(0, 12);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addEngine(LearningEngine service, Map<String, Object> properties) {
        engines.add(service, properties);
    }

    void removeEngine(LearningEngine service, Map<String, Object> properties) {
        engines.remove(service, properties);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addGenerator(DatasetGenerator service, Map<String, Object> properties) {
        generators.add(service, properties);
    }

    void removeGenerator(DatasetGenerator service, Map<String, Object> properties) {
        generators.remove(service, properties);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addProvider(DatasetProvider service, Map<String, Object> properties) {
        providers.add(service, properties);
    }

    void removeProvider(DatasetProvider service, Map<String, Object> properties) {
        providers.remove(service, properties);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addObjective(LocalObjective service, Map<String, Object> properties) {
        objectives.add(service, properties);
    }

    void removeObjective(LocalObjective service, Map<String, Object> properties) {
        objectives.remove(service, properties);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addEvaluator(ReidEvaluator service, Map<String, Object> properties) {
        evaluators.add(service, properties);
    }

    void removeEvaluator(ReidEvaluator service, Map<String, Object> properties) {
        evaluators.remove(service, properties);
    }
}
