package org.fedklpr.settings;

import java.net.URL;
import java.util.Collections;
import java.util.Dictionary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.fedklpr.api.settings.Setting;
import org.fedklpr.api.settings.Settings;
import org.fedklpr.api.settings.SettingsException;

/**
 * {@link Settings} over a fixed set of metatype declarations and what is configured now: plain Java,
 * so that anything which checks settings can be tested without a framework. The OSGi service reads
 * the installed bundles' declarations afresh for each call and hands them to one of these.
 */
public final class MetatypeSettings implements Settings {
    private final SettingsCatalogue catalogue;
    private final Function<String, Dictionary<String, Object>> configured;

    MetatypeSettings(SettingsCatalogue catalogue, Function<String, Dictionary<String, Object>> configured) {
        this.catalogue = catalogue;
        this.configured = configured;
    }

    /**
     * Settings declared by metatype documents ({@code OSGI-INF/metatype/*.xml} as bnd writes them),
     * with nothing configured: {@link #inEffect} gives the declared defaults.
     *
     * @param bundle the name problems and listings give as the declaring bundle
     */
    public static Settings declaredBy(String bundle, List<URL> documents) {
        return new MetatypeSettings(new SettingsCatalogue(MetatypeDocuments.read(bundle, documents)), pid -> null);
    }

    @Override
    public List<Setting> read(String origin, String configurationsJson) {
        return JsonSettings.read(origin, configurationsJson);
    }

    @Override
    public Map<String, Map<String, Object>> check(List<Setting> settings) {
        return new SettingsCheck(catalogue).check(settings);
    }

    @Override
    public Map<String, Map<String, Object>> defaults() {
        Map<String, Map<String, Object>> defaults = new LinkedHashMap<>();
        for (PidSpec pid : catalogue.pids().values()) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (KeySpec key : pid.keys().values()) {
                if (!key.defaults().isEmpty() || key.multiple()) {
                    values.put(key.key(), SettingsCheck.typed(pid, new Setting("metatype", pid.pid(), key.key(), "",
                            key.multiple() ? List.copyOf(key.defaults()) : key.defaults().get(0))));
                }
            }
            defaults.put(pid.pid(), values);
        }
        return defaults;
    }

    @Override
    public Map<String, Map<String, Object>> inEffect() {
        Map<String, Map<String, Object>> effective = new LinkedHashMap<>();
        Map<String, Map<String, Object>> defaults = defaults();
        for (PidSpec pid : catalogue.pids().values()) {
            Map<String, Object> values = new LinkedHashMap<>(defaults.get(pid.pid()));
            Dictionary<String, Object> configured = this.configured.apply(pid.pid());
            if (configured != null) {
                for (String key : Collections.list(configured.keys())) {
                    if (pid.keys().containsKey(key)) {
                        try {
                            values.put(key, SettingsCheck.typed(pid, new Setting("Config Admin", pid.pid(), key, "",
                                    configured.get(key))));
                        } catch (IllegalArgumentException e) {
                            values.put(key, SettingsCheck.shown(configured.get(key)));
                        }
                    }
                }
            }
            effective.put(pid.pid(), values);
        }
        return effective;
    }

    @Override
    public String describe(String pidOrEmpty) {
        if (!pidOrEmpty.isEmpty() && catalogue.lookup(pidOrEmpty).isEmpty()) {
            throw new SettingsException(List.of("fedklpr settings: " + pidOrEmpty + ": no installed bundle declares "
                    + "this configuration PID" + SettingsCheck.suggestion(pidOrEmpty, catalogue.all().keySet())));
        }
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, PidSpec> entry : catalogue.all().entrySet()) {
            PidSpec pid = entry.getValue();
            if (!pidOrEmpty.isEmpty() && !entry.getKey().equals(pidOrEmpty) && !pid.pid().equals(pidOrEmpty)) {
                continue;
            }
            text.append(entry.getKey()).append("  (").append(pid.name()).append("; bundle ").append(pid.bundle())
                    .append(")\n");
            for (KeySpec key : pid.keys().values()) {
                text.append(String.format("  %-24s %s; default %s%n", key.key(), key.expected(),
                        key.defaults().isEmpty() ? "none" : key.defaults().equals(List.of("")) ? "blank"
                                : String.join(",", key.defaults())));
                if (!key.description().isBlank()) {
                    text.append("  ").append(" ".repeat(24)).append(' ').append(key.description()).append('\n');
                }
            }
            text.append('\n');
        }
        return text.toString();
    }

}
