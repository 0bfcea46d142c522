package org.fedklpr.shell;

import java.io.IOException;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import java.util.UUID;

import org.fedklpr.api.FedklprException;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Applies settings on top of the configurations a runtime started with, and puts those back. Each
 * change carries a revision marker, and {@link #apply} returns only once a component's service
 * shows it: Config Admin delivers asynchronously, and an experiment must not start on old settings.
 */
final class ConfigurationSwitch {
    static final String REVISION = "fedklpr.revision";
    private static final long WAIT_MILLIS = 15_000;

    private final ConfigurationAdmin configurationAdmin;
    private final BundleContext context;
    private final Map<String, Dictionary<String, Object>> base = new HashMap<>();

    ConfigurationSwitch(ConfigurationAdmin configurationAdmin, BundleContext context) {
        this.configurationAdmin = configurationAdmin;
        this.context = context;
    }

    /** Sets {@code values} on {@code pid}, over the values it had before the first change. */
    void apply(String pid, Map<String, Object> values) {
        Dictionary<String, Object> merged = copy(baseOf(pid));
        values.forEach(merged::put);
        update(pid, merged);
    }

    /** A value {@code pid} had before the first change, or {@code null}. */
    Object baseValue(String pid, String key) {
        return baseOf(pid).get(key);
    }

    /** Puts every changed PID back to what it was. */
    void restore() {
        for (Map.Entry<String, Dictionary<String, Object>> entry : base.entrySet()) {
            update(entry.getKey(), copy(entry.getValue()));
        }
    }

    private Dictionary<String, Object> baseOf(String pid) {
        return base.computeIfAbsent(pid, key -> {
            Dictionary<String, Object> properties = configuration(key).getProperties();
            return properties == null ? new Hashtable<>() : copy(properties);
        });
    }

    private void update(String pid, Dictionary<String, Object> properties) {
        String revision = UUID.randomUUID().toString();
        properties.put(REVISION, revision);
        try {
            configuration(pid).update(properties);
        } catch (IOException e) {
            throw new FedklprException("cannot update configuration " + pid + ": " + e.getMessage(), e);
        }
        awaitRevision(pid, revision);
    }

    private void awaitRevision(String pid, String revision) {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        try {
            while (System.currentTimeMillis() < deadline) {
                ServiceReference<?>[] references = context.getServiceReferences((String) null,
                        "(" + REVISION + "=" + revision + ")");
                if (references != null) {
                    return;
                }
                Thread.sleep(10);
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new FedklprException("configuration " + pid + " was not taken up by any component within "
                + WAIT_MILLIS / 1000 + " s (is the PID spelled right, and is its bundle in the feature?)");
    }

    private Configuration configuration(String pid) {
        try {
            return configurationAdmin.getConfiguration(pid, "?");
        } catch (IOException e) {
            throw new FedklprException("cannot read configuration " + pid + ": " + e.getMessage(), e);
        }
    }

    private static Dictionary<String, Object> copy(Dictionary<String, Object> properties) {
        Dictionary<String, Object> copy = new Hashtable<>();
        for (String key : Collections.list(properties.keys())) {
            copy.put(key, properties.get(key));
        }
        return copy;
    }
}
