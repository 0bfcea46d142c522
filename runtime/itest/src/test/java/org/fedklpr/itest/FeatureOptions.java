package org.fedklpr.itest;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.fedklpr.launcher.FeatureFile;
import org.fedklpr.launcher.LaunchException;
import org.ops4j.pax.exam.Option;

/**
 * Pax Exam options that provision exactly the bundles a feature file names, resolved by the
 * launcher's own code from the launcher's bundle folder (no Maven URLs, nothing downloaded).
 * Used only on the driver side, outside the framework.
 */
final class FeatureOptions {
    private FeatureOptions() {
    }

    static Path home() {
        return Path.of(System.getProperty("fedklpr.home", "../..")).toAbsolutePath().normalize();
    }

    static Option[] of(String feature) {
        List<Option> options = new ArrayList<>();
        try {
            for (FeatureFile.ResolvedBundle resolved : FeatureFile.read(home().resolve(feature))
                    .bundles(home().resolve("runtime/launcher/target/bundles"))) {
                options.add(bundle(resolved.file().toUri().toString()));
            }
        } catch (LaunchException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        options.add(junitBundles());
        options.add(systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"));
        for (String property : List.of("fedklpr.home", "fedklpr.itest.work", "DJL_CACHE_DIR", "ai.djl.offline")) {
            if (System.getProperty(property) != null) {
                options.add(systemProperty(property).value(System.getProperty(property)));
            }
        }
        return options.toArray(new Option[0]);
    }
}
