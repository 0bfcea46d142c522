package org.fedklpr.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;

/**
 * An embedded Felix framework assembled from a feature: bundles installed, the feature's and the
 * command line's settings checked and applied by the settings bundle, then every bundle started.
 */
final class EmbeddedRuntime implements AutoCloseable {
    /**
     * Started before any other bundle: the settings bundle checks every setting against the bundles'
     * metatype and applies them through Config Admin; SCR runs its component.
     */
    private static final List<String> SETTINGS_BUNDLES = List.of("org.apache.felix.configadmin",
            "org.apache.felix.scr", "org.fedklpr.settings");
    private static final long SERVICE_WAIT_MILLIS = 30_000;

    private final Framework framework;
    private final Path storage;

    private EmbeddedRuntime(Framework framework, Path storage) {
        this.framework = framework;
        this.storage = storage;
    }

    /**
     * Installs the bundles, has the settings bundle check and apply the configurations, then starts
     * every bundle. Config Admin, SCR and the settings bundle start first, so that no component is
     * activated before its configuration is there, and nothing starts when a setting is wrong.
     *
     * @param settings what the settings bundle's launcher entry takes: {@code origin},
     *        {@code configurations} (JSON text or null) and {@code overrides} ({@code [origin, pid, key, text]})
     * @param properties framework properties the bundles read ({@code fedklpr.feature}, ...)
     * @throws LaunchException with every settings problem on its own line
     */
    static EmbeddedRuntime start(List<FeatureFile.ResolvedBundle> bundles, Map<String, Object> settings,
            Map<String, String> properties) throws LaunchException {
        Path storage;
        try {
            storage = Files.createTempDirectory("fedklpr-felix-");
        } catch (IOException e) {
            throw new LaunchException("cannot create the framework's storage folder: " + e.getMessage(), e);
        }
        Map<String, String> frameworkProperties = new HashMap<>(properties);
        frameworkProperties.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        frameworkProperties.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        frameworkProperties.put("felix.log.level", "1");
        Framework framework = new FrameworkFactory().newFramework(frameworkProperties);
        EmbeddedRuntime runtime = new EmbeddedRuntime(framework, storage);
        try {
            framework.init();
            BundleContext context = framework.getBundleContext();
            List<Bundle> installed = new ArrayList<>();
            for (FeatureFile.ResolvedBundle bundle : bundles) {
                try {
                    installed.add(context.installBundle(bundle.file().toUri().toString()));
                } catch (BundleException e) {
                    throw new LaunchException("bundle " + bundle.id() + " (" + bundle.file() + ") cannot be installed: "
                            + e.getMessage(), e);
                }
            }
            framework.start();
            boolean anySettings = settings.get("configurations") != null
                    || !((List<?>) settings.getOrDefault("overrides", List.of())).isEmpty();
            if (anySettings) {
                for (String name : SETTINGS_BUNDLES) {
                    Bundle bundle = installed.stream().filter(b -> name.equals(b.getSymbolicName())).findFirst()
                            .orElseThrow(() -> new LaunchException("the runtime has settings to apply but not the "
                                    + "bundle " + name + " that checks and applies them; add it to the feature"));
                    startBundle(bundle);
                }
                runtime.applySettings(settings);
            }
            for (Bundle bundle : installed) {
                if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    startBundle(bundle);
                }
            }
            return runtime;
        } catch (BundleException | LaunchException | RuntimeException e) {
            runtime.close();
            if (e instanceof LaunchException launch) {
                throw launch;
            }
            throw new LaunchException("the framework did not start: " + e.getMessage(), e);
        }
    }

    private static void startBundle(Bundle bundle) throws LaunchException {
        try {
            bundle.start();
        } catch (BundleException e) {
            throw new LaunchException("bundle " + bundle.getSymbolicName() + " " + bundle.getVersion()
                    + " cannot start: " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private void applySettings(Map<String, Object> settings) throws LaunchException {
        Function<Map<String, Object>, List<String>> apply = (Function<Map<String, Object>, List<String>>) awaitService(
                Function.class.getName(), "(fedklpr.settings=apply)");
        List<String> problems = apply.apply(settings);
        if (!problems.isEmpty()) {
            throw new LaunchException(String.join("\n", problems));
        }
    }

    /** Waits for a service (bundles activate their components asynchronously). */
    Object awaitService(String type, String filter) throws LaunchException {
        BundleContext context = framework.getBundleContext();
        long deadline = System.currentTimeMillis() + SERVICE_WAIT_MILLIS;
        try {
            while (true) {
                ServiceReference<?>[] references = context.getServiceReferences(type, filter);
                if (references != null && references.length > 0) {
                    Object service = context.getService(references[0]);
                    if (service != null) {
                        return service;
                    }
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new LaunchException("no " + type + (filter == null ? "" : " " + filter) + " service appeared "
                            + "within " + SERVICE_WAIT_MILLIS / 1000 + " s; is the bundle that provides it in the feature?");
                }
                Thread.sleep(20);
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException("interrupted while waiting for " + type);
        }
    }

    /** Runs the platform's command-line entry point (see the shell bundle's CommandLine). */
    @SuppressWarnings("unchecked")
    int runMain(String... arguments) throws LaunchException {
        Object main = awaitService(Function.class.getName(), "(fedklpr.main=true)");
        return ((Function<String[], Integer>) main).apply(arguments);
    }

    void waitForStop() throws InterruptedException {
        framework.waitForStop(0);
    }

    int bundleCount() {
        return framework.getBundleContext().getBundles().length;
    }

    @Override
    public void close() {
        try {
            framework.stop();
            framework.waitForStop(20_000);
        } catch (BundleException | InterruptedException e) {
            System.err.println("fedklpr: the framework did not stop cleanly: " + e.getMessage());
        }
        try (Stream<Path> files = Files.walk(storage)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // A leftover temporary folder is harmless.
        }
    }
}
