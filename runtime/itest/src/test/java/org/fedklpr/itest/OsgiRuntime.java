package org.fedklpr.itest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.fedklpr.api.data.DatasetGenerator;
import org.fedklpr.api.experiment.ExperimentRunner;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * What the in-framework tests share: configuring components through Config Admin and waiting for
 * them to take it, a small synthetic world, and reading a run's metrics.
 */
final class OsgiRuntime {
    static final String COORDINATOR = "org.fedklpr.coordinator";
    static final String WORLD = "org.fedklpr.data.synthetic";
    static final long SEED = 5;

    private final BundleContext context;
    private final ConfigurationAdmin configurationAdmin;

    OsgiRuntime(BundleContext context, ConfigurationAdmin configurationAdmin) {
        this.context = context;
        this.configurationAdmin = configurationAdmin;
    }

    static Path work(String name) throws IOException {
        return Files.createDirectories(Path.of(System.getProperty("fedklpr.itest.work", "target/itest-work"))
                .resolve(name + "-" + UUID.randomUUID()));
    }

    /** Applies a configuration and waits until the component's service shows it. */
    void configure(String pid, Map<String, Object> values) throws Exception {
        String marker = UUID.randomUUID().toString();
        Dictionary<String, Object> properties = new Hashtable<>(values);
        properties.put("itest.marker", marker);
        configurationAdmin.getConfiguration(pid, "?").update(properties);
        awaitService("(itest.marker=" + marker + ")");
    }

    void awaitCoordinatorProperty(String key, String value) throws Exception {
        awaitService("(&(objectClass=" + ExperimentRunner.class.getName() + ")(" + key + "=" + value + "))");
    }

    /**
     * The synthetic world's generator, waited for: a configuration just applied may have it
     * re-registered after {@link #configure} saw it.
     */
    DatasetGenerator syntheticGenerator() throws Exception {
        return (DatasetGenerator) awaitService("(&(objectClass=" + DatasetGenerator.class.getName()
                + ")(fedklpr.name=synthetic))");
    }

    Object awaitService(String filter) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            ServiceReference<?>[] references = context.getServiceReferences((String) null, filter);
            if (references != null) {
                return context.getService(references[0]);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no service matches " + filter);
    }

    static Map<String, Object> tinyWorld(int clients, int[] trainIdentities, int[] testIdentities) {
        Map<String, Object> world = new HashMap<>();
        world.put("clients", clients);
        world.put("trainIdentities", trainIdentities);
        world.put("testIdentities", testIdentities);
        world.put("cameras", new int[] {2, 3});
        world.put("trainImagesPerCamera", 3);
        world.put("galleryImagesPerCamera", 2);
        world.put("distractors", 3);
        world.put("junk", 1);
        return world;
    }

    static Map<String, Object> coordinatorSettings(Path data, int rounds) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("name", "itest");
        settings.put("rounds", rounds);
        settings.put("aggregator", "fedpav");
        settings.put("dataRoot", data.toString());
        settings.put("batchSize", 16);
        settings.put("learningRate", 0.02);
        settings.put("embeddingDim", 64);
        settings.put("seed", SEED);
        return settings;
    }

    static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> copy = new HashMap<>(base);
        copy.put(key, value);
        return copy;
    }

    static List<JsonObject> metrics(Path run) throws IOException {
        List<JsonObject> rows = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"), StandardCharsets.UTF_8)) {
            rows.add(JsonParser.parseString(line).getAsJsonObject());
        }
        return rows;
    }

    /** A metrics row without what the clock says. */
    static JsonObject withoutTimes(JsonObject row) {
        JsonObject copy = row.deepCopy();
        for (String key : List.copyOf(copy.keySet())) {
            if (key.contains("seconds") || key.contains("wait")) {
                copy.remove(key);
            } else if (copy.get(key).isJsonObject()) {
                copy.add(key, withoutTimes(copy.getAsJsonObject(key)));
            }
        }
        return copy;
    }
}
