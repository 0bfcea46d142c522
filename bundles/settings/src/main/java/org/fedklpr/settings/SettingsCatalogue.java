package org.fedklpr.settings;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Every PID and factory PID the installed bundles declare, by name. */
final class SettingsCatalogue {
    private final Map<String, PidSpec> pids = new TreeMap<>();
    private final Map<String, PidSpec> factories = new TreeMap<>();

    SettingsCatalogue(Collection<PidSpec> declared) {
        for (PidSpec spec : declared) {
            (spec.factory() ? factories : pids).put(spec.pid(), spec);
        }
    }

    /**
     * The declaration a configuration PID is checked against: {@code factory~name} is an instance of
     * the factory PID before the {@code ~}.
     */
    Optional<PidSpec> lookup(String pid) {
        int tilde = pid.indexOf('~');
        return tilde > 0 ? Optional.ofNullable(factories.get(pid.substring(0, tilde)))
                : Optional.ofNullable(pids.get(pid));
    }

    /** Singleton PIDs, sorted. */
    Map<String, PidSpec> pids() {
        return pids;
    }

    /** Factory PIDs, sorted. */
    Map<String, PidSpec> factories() {
        return factories;
    }

    /** Every PID and factory PID ({@code factory~<name>}), sorted, for listings. */
    Map<String, PidSpec> all() {
        Map<String, PidSpec> all = new LinkedHashMap<>(pids);
        factories.forEach((pid, spec) -> all.put(pid + "~<name>", spec));
        return all;
    }
}
