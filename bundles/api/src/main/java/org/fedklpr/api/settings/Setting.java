package org.fedklpr.api.settings;

import java.util.Objects;

/**
 * One configuration value as the user wrote it, before it is checked.
 *
 * @param origin where it was written, for messages: a file name, {@code --set}, {@code --rounds}
 * @param pid the configuration PID; {@code factory~name} for a factory configuration
 * @param key the property, without a type hint
 * @param typeHint the type a feature file wrote after the key ({@code Integer}, {@code int[]}), or
 *        empty
 * @param value text to be read as the declared type (a command line), or a value as a JSON reader
 *        gives it: {@code String}, {@code java.math.BigDecimal}, {@code Boolean}, or a
 *        {@code java.util.List} of those
 */
public record Setting(String origin, String pid, String key, String typeHint, Object value) {
    public Setting {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(pid, "pid");
        Objects.requireNonNull(key, "key");
        typeHint = typeHint == null ? "" : typeHint;
    }

    /** A value typed on a command line: text, read as the type its metatype declares. */
    public static Setting text(String origin, String pid, String key, String text) {
        return new Setting(origin, pid, key, "", text);
    }

    /** {@code pid:key=value}, as the user would write it on a command line. */
    public String written() {
        return pid + ":" + key + "=" + value;
    }
}
