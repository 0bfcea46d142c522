package org.fedklpr.named;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.fedklpr.api.FedklprException;
import org.junit.jupiter.api.Test;

class NamedServicesTest {
    private static Map<String, Object> named(String name) {
        return Map.of("fedklpr.name", name);
    }

    @Test
    void updateBindsTheNewServiceBeforeUnbindingTheOld() {
        NamedServices<Object> services = new NamedServices<>("aggregator");
        Object old = new Object();
        Object updated = new Object();
        services.add(old, named("fedavg"));
        services.add(updated, named("fedavg"));
        services.remove(old, named("fedavg"));
        assertSame(updated, services.get("fedavg"));
        services.remove(updated, named("fedavg"));
        assertEquals(Set.of(), services.names());
    }

    @Test
    void unknownNamesAreReportedWithTheAlternatives() {
        NamedServices<Object> services = new NamedServices<>("aggregator");
        services.add(new Object(), named("fedpav"));
        services.add(new Object(), named("fedavg"));
        FedklprException e = assertThrows(FedklprException.class, () -> services.get("fedprox"));
        assertEquals("no aggregator named 'fedprox' is available (available aggregators: fedavg, fedpav)",
                e.getMessage());
    }

    @Test
    void missingNamesEveryAbsentServiceOnceAfterOneWait() {
        NamedServices<Object> services = new NamedServices<>("local objective");
        services.add(new Object(), named("identity-ce"));
        long started = System.nanoTime();
        assertEquals(java.util.List.of(
                "no local objective named 'kl' is available (available local objectives: identity-ce)",
                "no local objective named 'triplett' is available (available local objectives: identity-ce)"),
                services.missing(java.util.List.of("identity-ce", "kl", "triplett", "kl")));
        double waited = (System.nanoTime() - started) / 1e9;
        assertTrue(waited < 2 * NamedServices.STARTUP_GRACE.toSeconds(), "one grace period for all, not one each: "
                + waited + " s");
        assertEquals(java.util.List.of(), services.missing(java.util.List.of("identity-ce")));
    }

    @Test
    void awaitReturnsAServiceThatArrivesLater() throws InterruptedException {
        NamedServices<Object> services = new NamedServices<>("engine");
        Object engine = new Object();
        Thread late = new Thread(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
            services.add(engine, named("djl"));
        });
        late.start();
        assertSame(engine, services.await("djl", Duration.ofSeconds(5)));
        late.join();
        long started = System.nanoTime();
        assertThrows(FedklprException.class, () -> services.await("missing", Duration.ofMillis(100)));
        assertTrue(System.nanoTime() - started >= 90_000_000L);
    }
}
