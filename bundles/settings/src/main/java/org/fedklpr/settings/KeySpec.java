package org.fedklpr.settings;

import java.math.BigDecimal;
import java.util.List;

/**
 * One key of a PID as its metatype declares it.
 *
 * @param cardinality 0: one value; otherwise at most {@code |cardinality|} values (an array when
 *        positive, a collection when negative: both are stored as arrays here)
 * @param options the values allowed, or empty for any value of the type
 * @param min the smallest value allowed, or null
 * @param max the largest value allowed, or null
 * @param defaults the default values as written in the metatype (one for a single-valued key)
 */
record KeySpec(String key, ValueType type, int cardinality, List<String> options, BigDecimal min, BigDecimal max,
        List<String> defaults, String description) {

    KeySpec {
        options = List.copyOf(options);
        defaults = List.copyOf(defaults);
        description = description == null ? "" : description;
    }

    boolean multiple() {
        return cardinality != 0;
    }

    int maximumValues() {
        return cardinality == 0 ? 1 : Math.abs(cardinality);
    }

    /** "a whole number (Integer) ≥ 0", "one of sgd, adam", "a list of text (String)". */
    String expected() {
        StringBuilder text = new StringBuilder(multiple() ? "a comma-separated list of " : "");
        if (!options.isEmpty()) {
            text.append("one of ").append(String.join(", ", options));
        } else {
            text.append(type.expected());
        }
        if (type.isNumber()) {
            if (min != null && max != null) {
                text.append(" from ").append(min.toPlainString()).append(" to ").append(max.toPlainString());
            } else if (min != null) {
                text.append(" ≥ ").append(min.toPlainString());
            } else if (max != null) {
                text.append(" ≤ ").append(max.toPlainString());
            }
        }
        return text.toString();
    }
}
