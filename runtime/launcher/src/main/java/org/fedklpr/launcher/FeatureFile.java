package org.fedklpr.launcher;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

import org.osgi.service.feature.Feature;
import org.osgi.service.feature.FeatureBundle;
import org.osgi.service.feature.FeatureExtension;
import org.osgi.service.feature.FeatureService;
import org.osgi.service.feature.ID;

/**
 * An OSGi feature file (Feature Service spec 1.0), read with Apache Felix's implementation, with its
 * bundles resolved to files. Its configurations are kept as written, for the settings bundle to
 * check against the bundles' metatype.
 */
public final class FeatureFile {
    /** A bundle of the feature and the file it was found in. */
    public record ResolvedBundle(String id, Path file) {
    }

    private static final String CONFIGURATIONS = "configurations";

    private final Path path;
    private final Feature feature;
    /** The feature's configurations exactly as written, or null. */
    private final String configurationsJson;

    private FeatureFile(Path path, Feature feature, String configurationsJson) {
        this.path = path;
        this.feature = feature;
        this.configurationsJson = configurationsJson;
    }

    public static FeatureFile read(Path path) throws LaunchException {
        if (!Files.isRegularFile(path)) {
            throw new LaunchException("feature file " + path + " does not exist");
        }
        FeatureService service = ServiceLoader.load(FeatureService.class, FeatureFile.class.getClassLoader())
                .findFirst().orElseThrow(() -> new LaunchException("no OSGi Feature Service implementation on the "
                        + "launcher's class path (org.apache.felix.feature); rebuild the launcher"));
        // The configurations go to the settings bundle as written: Felix's reader would convert
        // their values on its own terms (1.5 to an Integer 1, "yes" to false) before anyone checks them.
        JsonObject json;
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8);
                JsonReader parser = Json.createReader(reader)) {
            json = parser.readObject();
        } catch (IOException | RuntimeException e) {
            throw new LaunchException("feature file " + path + " is not valid JSON: " + e.getMessage(), e);
        }
        JsonValue configurations = json.get(CONFIGURATIONS);
        String withoutConfigurations = Json.createObjectBuilder(json).remove(CONFIGURATIONS).build().toString();
        try {
            return new FeatureFile(path, service.readFeature(new StringReader(withoutConfigurations)),
                    configurations == null ? null : configurations.toString());
        } catch (IOException | RuntimeException e) {
            throw new LaunchException("feature file " + path + " is not a valid OSGi feature (JSON, spec 1.0): "
                    + e.getMessage(), e);
        }
    }

    /** The feature's {@code "configurations"} object as JSON text, values exactly as written; null if none. */
    String configurationsJson() {
        return configurationsJson;
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
}
