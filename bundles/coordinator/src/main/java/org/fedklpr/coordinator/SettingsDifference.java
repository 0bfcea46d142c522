package org.fedklpr.coordinator;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * The settings that differ between what a run folder was made with and what is in effect now, one
 * line each: {@code pid:key was A, now B}. A key that did not exist when the run was made (a bundle
 * added it later, or was installed later) and is at its default now is no difference: a new key's
 * default is the behaviour from before it existed, which is how the platform adds keys.
 */
final class SettingsDifference {
    private SettingsDifference() {
    }

    /**
     * @param recorded per PID, key → value, as checkpointed
     * @param current the same, now
     * @param ignored {@code pid:key} that may differ
     * @param defaults per PID, key → its metatype default now
     */
    static List<String> between(JsonObject recorded, JsonObject current, Set<String> ignored, JsonObject defaults) {
        List<String> differences = new ArrayList<>();
        Set<String> pids = new TreeSet<>(recorded.keySet());
        pids.addAll(current.keySet());
        for (String pid : pids) {
            JsonObject before = object(recorded.get(pid));
            JsonObject now = object(current.get(pid));
            Set<String> keys = new TreeSet<>(before.keySet());
            keys.addAll(now.keySet());
            for (String key : keys) {
                String name = pid + ":" + key;
                JsonElement was = before.get(key);
                JsonElement is = now.get(key);
                boolean newAtDefault = was == null && !before.has(key) && is != null
                        && is.equals(object(defaults.get(pid)).get(key));
                if (ignored.contains(name) || was != null && was.equals(is) || newAtDefault) {
                    continue;
                }
                differences.add(name + " was " + shown(was) + ", now " + shown(is));
            }
        }
        return differences;
    }

    private static JsonObject object(JsonElement element) {
        return element != null && element.isJsonObject() ? element.getAsJsonObject() : new JsonObject();
    }

    private static String shown(JsonElement value) {
        if (value == null) {
            return "not set (no installed bundle had that key)";
        }
        return value.isJsonPrimitive() && value.getAsJsonPrimitive().isString() ? "'" + value.getAsString() + "'"
                : value.toString();
    }
}
