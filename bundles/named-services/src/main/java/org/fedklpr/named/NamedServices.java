package org.fedklpr.named;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.Names;

/**
 * Services of one kind by their {@value Names#SERVICE_NAME} property. Bind and unbind methods of a
 * dynamic, multiple reference call {@link #add} and {@link #remove}. When a provider is updated, SCR
 * binds the new service before it unbinds the old one, so {@link #remove} only removes the entry if
 * it still holds the service being unbound.
 */
public final class NamedServices<T> {
    /**
     * How long {@link #await(String)} waits: bundles may still be starting when a service is first
     * asked for; a name still missing after that is a configuration error, reported at once.
     */
    public static final Duration STARTUP_GRACE = Duration.ofSeconds(3);

    private final String kind;
    private final ConcurrentMap<String, T> byName = new ConcurrentHashMap<>();

    /** @param kind what the services are, for messages ("aggregator", "transport") */
    public NamedServices(String kind) {
        this.kind = kind;
    }

    /**
     * The services of a field-injected reference ({@code volatile List<Map.Entry<Map<String, Object>, T>>},
     * cardinality multiple), by name: for components that look a name up when they run, without a
     * bind and unbind method per service type.
     */
    public static <T> NamedServices<T> of(String kind, Collection<? extends Map.Entry<Map<String, Object>, T>> services) {
        NamedServices<T> named = new NamedServices<>(kind);
        services.forEach(entry -> named.add(entry.getValue(), entry.getKey()));
        return named;
    }

    public void add(T service, Map<String, ?> properties) {
        String name = nameOf(properties);
        if (name != null) {
            synchronized (this) {
                byName.put(name, service);
                notifyAll();
            }
        }
    }

    public void remove(T service, Map<String, ?> properties) {
        String name = nameOf(properties);
        if (name != null) {
            byName.remove(name, service);
        }
    }

    private static String nameOf(Map<String, ?> properties) {
        Object name = properties.get(Names.SERVICE_NAME);
        return name == null ? null : name.toString();
    }

    /**
     * The service called {@code name}.
     *
     * @throws FedklprException naming the kind, the name and the names that are available
     */
    public T get(String name) {
        T service = byName.get(Objects.requireNonNull(name, "name"));
        if (service == null) {
            throw new FedklprException(missingMessage(name));
        }
        return service;
    }

    private String missingMessage(String name) {
        return "no " + kind + " named '" + name + "' is available (available " + kind + "s: "
                + (byName.isEmpty() ? "none" : String.join(", ", names())) + ")";
    }

    /** Like {@link #get}, but waits up to {@link #STARTUP_GRACE} for the service to appear. */
    public T await(String name) {
        return await(name, STARTUP_GRACE);
    }

    /**
     * Like {@link #get}, but waits up to {@code timeout} for the service to appear, for callers that
     * run while the framework may still be starting bundles.
     */
    public T await(String name, Duration timeout) {
        waitFor(List.of(name), timeout);
        return get(name);
    }

    /** Waits until every one of {@code names} is registered, or {@code timeout} has passed. */
    private synchronized void waitFor(Collection<String> names, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!byName.keySet().containsAll(names)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Which of {@code names} are not available after waiting up to {@link #STARTUP_GRACE} (once, for
     * all of them), each as the message {@link #get} would throw.
     */
    public List<String> missing(Collection<String> names) {
        waitFor(names, STARTUP_GRACE);
        List<String> problems = new ArrayList<>();
        for (String name : new LinkedHashSet<>(names)) {
            if (!byName.containsKey(name)) {
                problems.add(missingMessage(name));
            }
        }
        return problems;
    }

    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    public SortedSet<String> names() {
        return new TreeSet<>(byName.keySet());
    }
}
