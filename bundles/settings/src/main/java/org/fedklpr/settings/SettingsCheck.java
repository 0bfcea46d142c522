package org.fedklpr.settings;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.fedklpr.api.settings.Setting;
import org.fedklpr.api.settings.SettingsException;

/**
 * Checks settings against a {@link SettingsCatalogue} and types them. Every problem is found, not
 * just the first, and each becomes one line: where the value was written, {@code pid:key=value},
 * and what was expected (type, options, range, or the known name nearest to a mistyped one).
 */
final class SettingsCheck {
    /** DS reads {@code <reference>.target} from a component's configuration: a filter, not a metatype key. */
    private static final String TARGET_SUFFIX = ".target";

    private final SettingsCatalogue catalogue;

    SettingsCheck(SettingsCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    Map<String, Map<String, Object>> check(List<Setting> settings) {
        Map<String, Map<String, Object>> typed = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        Set<String> unknownPids = new LinkedHashSet<>();
        for (Setting setting : settings) {
            Optional<PidSpec> pid = catalogue.lookup(setting.pid());
            if (pid.isEmpty()) {
                // One line per PID and origin, however many of its keys were set.
                if (unknownPids.add(setting.origin() + "\n" + setting.pid())) {
                    problems.add(setting.origin() + ": " + setting.pid() + ":" + setting.key() + "="
                            + shown(setting.value()) + ": no installed bundle declares the configuration PID "
                            + setting.pid() + " in its metatype" + pidSuggestion(setting.pid())
                            + "; fedklpr settings lists the known ones");
                }
                continue;
            }
            try {
                Object value = typed(pid.get(), setting);
                typed.computeIfAbsent(setting.pid(), p -> new LinkedHashMap<>()).put(setting.key(), value);
            } catch (IllegalArgumentException e) {
                problems.add(setting.origin() + ": " + setting.pid() + ":" + setting.key() + "=" + shown(setting.value())
                        + ": " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new SettingsException(problems);
        }
        return typed;
    }

    /** The value as its key's metatype declares it, or an exception whose message says what was expected. */
    static Object typed(PidSpec pid, Setting setting) {
        KeySpec spec = pid.keys().get(setting.key());
        if (spec == null) {
            if (setting.key().endsWith(TARGET_SUFFIX) && setting.value() instanceof String filter) {
                return filter;
            }
            String nearest = suggestion(setting.key(), pid.keys().keySet());
            throw new IllegalArgumentException(pid.pid() + " has no key '" + setting.key() + "'" + (nearest.isEmpty()
                    ? " (its keys: " + String.join(", ", pid.keys().keySet()) + ")" : nearest));
        }
        List<Object> elements = elements(setting.value(), spec);
        if (!setting.typeHint().isEmpty()) {
            checkHint(setting.typeHint(), spec, elements);
        }
        if (!spec.multiple() && elements.size() != 1) {
            throw new IllegalArgumentException("expected one value, " + spec.expected() + ", got a list");
        }
        if (elements.size() > spec.maximumValues()) {
            throw new IllegalArgumentException("expected at most " + spec.maximumValues() + " values, got "
                    + elements.size());
        }
        List<Object> values = new ArrayList<>();
        for (Object element : elements) {
            Object value = spec.type().read(element);
            checkOptionsAndRange(spec, value);
            values.add(value);
        }
        return spec.multiple() ? spec.type().array(values) : values.get(0);
    }

    /**
     * The values written: a list's elements, a comma-separated text's parts (for a multi-valued key;
     * names never hold commas), an array's elements (what Config Admin holds), or the one value.
     */
    private static List<Object> elements(Object value, KeySpec spec) {
        if (value instanceof List<?> list) {
            return new ArrayList<>(list);
        }
        if (value != null && value.getClass().isArray()) {
            List<Object> items = new ArrayList<>();
            for (int i = 0; i < java.lang.reflect.Array.getLength(value); i++) {
                items.add(java.lang.reflect.Array.get(value, i));
            }
            return items;
        }
        if (spec.multiple() && value instanceof String text) {
            List<Object> parts = new ArrayList<>();
            if (!text.isBlank()) {
                Arrays.stream(text.split(",")).map(String::trim).forEach(parts::add);
            }
            return parts;
        }
        List<Object> one = new ArrayList<>();
        one.add(value);
        return one;
    }

    /** A feature file's type hint must name a Config Admin type that holds the value and fits the key. */
    private static void checkHint(String hint, KeySpec spec, List<Object> elements) {
        ValueType hinted = ValueType.ofHint(hint);
        if (hinted == null) {
            throw new IllegalArgumentException("'" + hint + "' after the key is not a configuration type (String,"
                    + " Integer, Long, Double, Float, Boolean, Character, Short, Byte, each also as Type[])");
        }
        if (ValueType.hintIsMultiple(hint) && !spec.multiple()) {
            throw new IllegalArgumentException("the key takes one value, " + spec.expected() + ", but its type '"
                    + hint + "' is a list");
        }
        for (Object element : elements) {
            try {
                hinted.read(element);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("expected " + hinted.expected() + " as its type '" + hint
                        + "' says (the key takes " + spec.expected() + "), got " + shown(element));
            }
        }
        if (hinted.isNumber() != spec.type().isNumber() || !hinted.isNumber() && hinted != spec.type()
                && !(hinted == ValueType.STRING && spec.type() == ValueType.PASSWORD)) {
            throw new IllegalArgumentException("its type '" + hint + "' does not fit the key, which takes "
                    + spec.expected());
        }
    }

    private static void checkOptionsAndRange(KeySpec spec, Object value) {
        if (!spec.options().isEmpty() && !spec.options().contains(String.valueOf(value))) {
            throw new IllegalArgumentException("expected one of " + String.join(", ", spec.options())
                    + suggestion(String.valueOf(value), spec.options()) + ", got '" + value + "'");
        }
        if (spec.type().isNumber()) {
            BigDecimal number = new BigDecimal(value.toString());
            if (spec.min() != null && number.compareTo(spec.min()) < 0
                    || spec.max() != null && number.compareTo(spec.max()) > 0) {
                throw new IllegalArgumentException("expected " + spec.expected() + ", got " + value);
            }
        }
    }

    /** A factory configuration {@code factory~name} is compared with the factory PIDs, its name kept. */
    private String pidSuggestion(String pid) {
        int tilde = pid.indexOf('~');
        if (tilde < 0) {
            return suggestion(pid, catalogue.pids().keySet());
        }
        return NearestName.of(pid.substring(0, tilde), catalogue.factories().keySet())
                .map(factory -> " (did you mean " + factory + pid.substring(tilde) + "?)").orElse("");
    }

    /** " (did you mean x?)", or nothing when no known name is near. */
    static String suggestion(String typed, java.util.Collection<String> known) {
        return NearestName.of(typed, known).map(name -> " (did you mean " + name + "?)").orElse("");
    }

    /** A value as the user wrote it: text in quotes only where quotes tell something. */
    static String shown(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(SettingsCheck::shown).toList().toString();
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toString();
        }
        if (value != null && value.getClass().isArray()) {
            List<Object> items = new ArrayList<>();
            for (int i = 0; i < java.lang.reflect.Array.getLength(value); i++) {
                items.add(java.lang.reflect.Array.get(value, i));
            }
            return shown(items);
        }
        return String.valueOf(value);
    }
}
