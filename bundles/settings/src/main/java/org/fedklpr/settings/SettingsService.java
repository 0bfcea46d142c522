package org.fedklpr.settings;

import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.settings.Setting;
import org.fedklpr.api.settings.Settings;
import org.fedklpr.api.settings.SettingsException;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The platform's {@link Settings}, read from the metatype documents of every installed bundle at
 * each call (a bundle installed while the runtime runs is known from then on).
 *
 * <p>It is also the launcher's way in: registered as a JDK {@link Function} with
 * {@value #LAUNCHER_PROPERTY}{@code =apply}, it takes a feature's configurations and the command
 * line's settings, checks them all and applies them through Config Admin before the launcher starts
 * any other bundle, or returns the problems and applies nothing. The launcher shares no class with
 * the framework but the JDK's, hence the plain types: {@code origin} (String), {@code configurations}
 * (the feature's JSON text) and {@code overrides} (a list of {@code [origin, pid, key, text]}).
 */
@Component(service = {Settings.class, Function.class}, property = SettingsService.LAUNCHER_PROPERTY + "=apply")
public final class SettingsService implements Settings, Function<Map<String, Object>, List<String>> {
    static final String LAUNCHER_PROPERTY = "fedklpr.settings";

    private final BundleContext context;
    private final ConfigurationAdmin configurationAdmin;

    @Activate
    public SettingsService(BundleContext context, @Reference ConfigurationAdmin configurationAdmin) {
        this.context = context;
        this.configurationAdmin = configurationAdmin;
    }

    @Override
    public List<String> apply(Map<String, Object> request) {
        List<Setting> settings = new ArrayList<>();
        try {
            Object configurations = request.get("configurations");
            if (configurations != null) {
                settings.addAll(read(String.valueOf(request.get("origin")), configurations.toString()));
            }
            Object overrides = request.getOrDefault("overrides", List.of());
            for (Object item : (List<?>) overrides) {
                List<?> override = (List<?>) item;
                settings.add(Setting.text(override.get(0).toString(), override.get(1).toString(),
                        override.get(2).toString(), override.get(3).toString()));
            }
            write(check(settings));
            return List.of();
        } catch (SettingsException e) {
            return e.problems();
        } catch (FedklprException e) {
            return List.of(e.getMessage());
        }
    }

    @Override
    public List<Setting> read(String origin, String configurationsJson) {
        return settings().read(origin, configurationsJson);
    }

    @Override
    public Map<String, Map<String, Object>> check(List<Setting> settings) {
        return settings().check(settings);
    }

    @Override
    public Map<String, Map<String, Object>> inEffect() {
        return settings().inEffect();
    }

    @Override
    public Map<String, Map<String, Object>> defaults() {
        return settings().defaults();
    }

    @Override
    public String describe(String pidOrEmpty) {
        return settings().describe(pidOrEmpty);
    }

    /** Read afresh at each call: a bundle installed or configured since is known from then on. */
    private MetatypeSettings settings() {
        List<PidSpec> declared = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            if (bundle.getState() == Bundle.UNINSTALLED) {
                continue;
            }
            Enumeration<URL> entries = bundle.findEntries(MetatypeDocuments.LOCATION, "*.xml", false);
            if (entries != null) {
                declared.addAll(MetatypeDocuments.read(bundle.getSymbolicName(), Collections.list(entries)));
            }
        }
        return new MetatypeSettings(new SettingsCatalogue(declared), this::configured);
    }

    private Dictionary<String, Object> configured(String pid) {
        try {
            Configuration[] found = configurationAdmin.listConfigurations("(service.pid=" + pid + ")");
            return found == null || found.length == 0 ? null : found[0].getProperties();
        } catch (IOException | InvalidSyntaxException e) {
            throw new FedklprException("cannot read configuration " + pid + ": " + e.getMessage(), e);
        }
    }

    /** Writes checked values through Config Admin, over what each PID already holds. */
    private void write(Map<String, Map<String, Object>> typed) {
        for (Map.Entry<String, Map<String, Object>> pid : typed.entrySet()) {
            try {
                int tilde = pid.getKey().indexOf('~');
                Configuration configuration = tilde > 0
                        ? configurationAdmin.getFactoryConfiguration(pid.getKey().substring(0, tilde),
                                pid.getKey().substring(tilde + 1), "?")
                        : configurationAdmin.getConfiguration(pid.getKey(), "?");
                Dictionary<String, Object> properties = configuration.getProperties() == null ? new Hashtable<>()
                        : configuration.getProperties();
                pid.getValue().forEach(properties::put);
                configuration.update(properties);
            } catch (IOException e) {
                throw new FedklprException("cannot write configuration " + pid.getKey() + ": " + e.getMessage(), e);
            }
        }
    }
}
