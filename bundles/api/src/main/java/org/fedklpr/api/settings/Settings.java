package org.fedklpr.api.settings;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The platform's settings, as the installed bundles' metatype declares them: the one place where a
 * value a user wrote is checked against its PID, key, type, options and range, and typed. A bundle
 * installed later (a third party's) is known through its own metatype from then on.
 */
@ProviderType
public interface Settings {

    /**
     * Reads a feature file's {@code "configurations"} object (or the same shape in a comparison
     * plan): {@code {"pid": {"key[:Type]": value, ...}, ...}}, keeping every value exactly as
     * written, for {@link #check}.
     *
     * @throws SettingsException if the text is not such an object
     */
    List<Setting> read(String origin, String configurationsJson);

    /**
     * Checks settings and types them as their metatype declares; a later setting of the same key
     * wins over an earlier one.
     *
     * @return per PID, the keys set and their typed values (arrays for multi-valued keys), in the
     *         order first written
     * @throws SettingsException listing every problem, one per line
     */
    Map<String, Map<String, Object>> check(List<Setting> settings);

    /**
     * What every declared (non-factory) PID holds now: its configured values over its metatype
     * defaults, typed. Bookkeeping properties ({@code service.pid}, ...) are left out.
     */
    Map<String, Map<String, Object>> inEffect();

    /** Every declared (non-factory) PID's metatype defaults, typed: what {@link #inEffect} gives unconfigured. */
    Map<String, Map<String, Object>> defaults();

    /** Every declared PID and its keys, for {@code fedklpr settings}: one block of text per PID. */
    String describe(String pidOrEmpty);
}
