package org.fedklpr.launcher;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import org.osgi.service.feature.Feature;
import org.osgi.service.feature.FeatureBundle;
import org.osgi.service.feature.FeatureConfiguration;
import org.osgi.service.feature.FeatureExtension;
import org.osgi.service.feature.FeatureService;
import org.osgi.service.feature.ID;

/**
 * An OSGi feature file (Feature Service spec 1.0), read with Apache Felix's implementation, with its
 * bundles resolved to files and its configurations merged with command-line overrides.
 */
public final class FeatureFile {
    /** A bundle of the feature and the file it was found in. */
    public record ResolvedBundle(String id, Path file) {
    }

    /** A configuration to apply: {@code factoryPid} is null for a singleton PID. */
    record Configuration(String pid, String factoryPid, String name, Map<String, Object> values) {
    }

    private final Path path;
    private final Feature feature;

    private FeatureFile(Path path, Feature feature) {
        this.path = path;
        this.feature = feature;
    }

    public static FeatureFile read(Path path) throws LaunchException {
        if (!Files.isRegularFile(path)) {
            throw new LaunchException("feature file " + path + " does not exist");
        }
        FeatureService service = ServiceLoader.load(FeatureService.class, FeatureFile.class.getClassLoader())
                .findFirst().orElseThrow(() -> new LaunchException("no OSGi Feature Service implementation on the "
                        + "launcher's class path (org.apache.felix.feature); rebuild the launcher"));
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            return new FeatureFile(path, service.readFeature(reader));
        } catch (IOException | RuntimeException e) {
            throw new LaunchException("feature file " + path + " is not a valid OSGi feature (JSON, spec 1.0): "
                    + e.getMessage(), e);
        }
    }

    /**
     * The JSON text of an extension of the feature.
     *
     * @throws LaunchException naming the feature and the extension when it has none such
     */
    String jsonExtension(String name) throws LaunchException {
        FeatureExtension extension = feature.getExtensions().get(name);
        if (extension == null || extension.getType() != FeatureExtension.Type.JSON) {
            throw new LaunchException("feature " + path + " has no JSON extension '" + name + "' (expected \"extensions\": {\""
                    + name + "\": {\"type\": \"json\", \"json\": {...}}})");
        }
        return extension.getJSON();
    }

    /** The coordinator's seed after {@code overrides} (1, its default, when nobody sets it). */
    long coordinatorSeed(List<LaunchOptions.Override> overrides) {
        for (Configuration configuration : configurations(overrides)) {
            if ("org.fedklpr.coordinator".equals(configuration.pid()) && configuration.values().get("seed") != null) {
                return Long.parseLong(configuration.values().get("seed").toString());
            }
        }
        return 1;
    }

    Path path() {
        return path;
    }

    String name() {
        return feature.getName().orElse(feature.getID().getArtifactId());
    }

    /**
     * The feature's bundles, in order, found in {@code repository} (flat: {@code artifact-version.jar})
     * or in the local Maven repository.
     */
    public List<ResolvedBundle> bundles(Path repository) throws LaunchException {
        List<ResolvedBundle> resolved = new ArrayList<>();
        for (ID id : bundleIds()) {
            resolved.add(resolve(id, repository));
        }
        return resolved;
    }

    List<ID> bundleIds() {
        return feature.getBundles().stream().map(FeatureBundle::getID).toList();
    }

    ResolvedBundle resolve(ID id, Path repository) throws LaunchException {
        String fileName = id.getArtifactId() + "-" + id.getVersion()
                + id.getClassifier().map(c -> "-" + c).orElse("") + "." + id.getType().orElse("jar");
        Path flat = repository.resolve(fileName);
        if (Files.isRegularFile(flat)) {
            return new ResolvedBundle(id.toString(), flat);
        }
        Path maven = Path.of(System.getProperty("user.home"), ".m2", "repository")
                .resolve(id.getGroupId().replace('.', '/')).resolve(id.getArtifactId()).resolve(id.getVersion())
                .resolve(fileName);
        if (Files.isRegularFile(maven)) {
            return new ResolvedBundle(id.toString(), maven);
        }
        throw new LaunchException("feature " + path + " names bundle " + id + ", which is not in " + repository
                + " (looked for " + fileName + ") nor in the local Maven repository; check the feature, or build "
                + "the bundles with: mvn -q -DskipTests package");
    }

    /** The feature's configurations with {@code overrides} applied (a new PID is created when needed). */
    List<Configuration> configurations(List<LaunchOptions.Override> overrides) {
        Map<String, Configuration> merged = new LinkedHashMap<>();
        for (FeatureConfiguration configuration : feature.getConfigurations().values()) {
            String pid = configuration.getPid();
            String factoryPid = configuration.getFactoryPid().orElse(null);
            // Factory configurations are written "factory~name" in features.
            String name = factoryPid == null ? null : pid.substring(pid.indexOf('~') + 1);
            merged.put(pid, new Configuration(pid, factoryPid, name, new LinkedHashMap<>(configuration.getValues())));
        }
        for (LaunchOptions.Override override : overrides) {
            Configuration target = merged.computeIfAbsent(override.pid(),
                    pid -> new Configuration(pid, null, null, new LinkedHashMap<>()));
            Object current = target.values().get(override.key());
            target.values().put(override.key(), convert(override.value(), current));
        }
        return List.copyOf(merged.values());
    }

    /** A command-line value typed like the value it replaces (lists are comma-separated). */
    static Object convert(String text, Object current) {
        if (current != null && (current.getClass().isArray() || current instanceof Collection)) {
            return text.isEmpty() ? new String[0] : text.split(",");
        }
        if (current instanceof Long || current instanceof Integer) {
            return Long.valueOf(text);
        }
        if (current instanceof Double || current instanceof Float) {
            return Double.valueOf(text);
        }
        if (current instanceof Boolean) {
            return Boolean.valueOf(text);
        }
        return text;
    }

    /** Config Admin takes arrays, not lists; the feature reader may give either. */
    static Object adaptForConfigAdmin(Object value) {
        if (value instanceof Collection<?> collection) {
            Object[] items = collection.toArray();
            Class<?> type = items.length == 0 ? String.class : items[0].getClass();
            Object array = Array.newInstance(type, items.length);
            for (int i = 0; i < items.length; i++) {
                Array.set(array, i, items[i]);
            }
            return array;
        }
        return value;
    }
}
