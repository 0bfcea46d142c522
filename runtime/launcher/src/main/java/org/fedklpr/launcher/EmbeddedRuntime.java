package org.fedklpr.launcher;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
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
 * An embedded Felix framework assembled from a feature: bundles installed, Config Admin started
 * first and given the feature's configurations, then every other bundle started.
 */
final class EmbeddedRuntime implements AutoCloseable {
    private static final String CONFIG_ADMIN = "org.apache.felix.configadmin";
    private static final String CONFIG_ADMIN_SERVICE = "org.osgi.service.cm.ConfigurationAdmin";
    private static final long SERVICE_WAIT_MILLIS = 30_000;

    private final Framework framework;
    private final Path storage;

    private EmbeddedRuntime(Framework framework, Path storage) {
        this.framework = framework;
        this.storage = storage;
    }

    static EmbeddedRuntime start(List<FeatureFile.ResolvedBundle> bundles, List<FeatureFile.Configuration> configurations)
            throws LaunchException {
        Path storage;
        try {
            storage = Files.createTempDirectory("fedklpr-felix-");
        } catch (IOException e) {
            throw new LaunchException("cannot create the framework's storage folder: " + e.getMessage(), e);
        }
        Map<String, String> properties = new HashMap<>();
        properties.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        properties.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        properties.put("felix.log.level", "1");
        Framework framework = new FrameworkFactory().newFramework(properties);
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
            Bundle configAdmin = installed.stream().filter(b -> CONFIG_ADMIN.equals(b.getSymbolicName())).findFirst()
                    .orElse(null);
            if (configAdmin != null) {
                startBundle(configAdmin);
                runtime.applyConfigurations(configurations);
            } else if (!configurations.isEmpty()) {
                throw new LaunchException("the feature has configurations but no Config Admin bundle ("
                        + CONFIG_ADMIN + ") to apply them");
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

    /**
     * Applies configurations through Config Admin, called reflectively: the launcher keeps no OSGi
     * service API on its class path, so its classes can never clash with the Config Admin bundle's.
     */
    private void applyConfigurations(List<FeatureFile.Configuration> configurations) throws LaunchException {
        Object configAdmin = awaitService(CONFIG_ADMIN_SERVICE, null);
        for (FeatureFile.Configuration configuration : configurations) {
            try {
                Object target = configuration.factoryPid() == null
                        ? call(configAdmin, "getConfiguration", new Class<?>[] {String.class, String.class},
                                configuration.pid(), "?")
                        : call(configAdmin, "getFactoryConfiguration",
                                new Class<?>[] {String.class, String.class, String.class}, configuration.factoryPid(),
                                configuration.name(), "?");
                Dictionary<String, Object> values = new Hashtable<>();
                configuration.values().forEach((key, value) -> values.put(key, FeatureFile.adaptForConfigAdmin(value)));
                call(target, "update", new Class<?>[] {Dictionary.class}, values);
            } catch (ReflectiveOperationException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                throw new LaunchException("configuration " + configuration.pid() + " cannot be applied: " + cause, e);
            }
        }
    }

    private static Object call(Object target, String method, Class<?>[] types, Object... arguments)
            throws ReflectiveOperationException {
        for (Class<?> type : target.getClass().getInterfaces()) {
            try {
                Method candidate = type.getMethod(method, types);
                return candidate.invoke(target, arguments);
            } catch (NoSuchMethodException e) {
                // try the next interface
            }
        }
        Method candidate = target.getClass().getMethod(method, types);
        candidate.setAccessible(true);
        return candidate.invoke(target, arguments);
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
