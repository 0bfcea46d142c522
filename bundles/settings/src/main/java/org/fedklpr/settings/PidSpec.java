package org.fedklpr.settings;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A configuration PID (or factory PID) and its keys, as one bundle's metatype declares it.
 *
 * @param name the object class definition's name ("FedKLPR coordinator")
 * @param bundle the symbolic name of the bundle that declares it
 */
record PidSpec(String pid, boolean factory, String name, String bundle, Map<String, KeySpec> keys) {
    PidSpec {
        keys = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(keys));
    }
}
