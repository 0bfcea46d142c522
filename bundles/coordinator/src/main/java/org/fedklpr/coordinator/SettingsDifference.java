package org.fedklpr.coordinator;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * The settings that differ between what a run folder was made with and what is in effect now, one
 * line each: {@code pid:key was A, now B}.
 */
final class SettingsDifference {
    private SettingsDifference() {
    }

    /**
     * @param recorded per PID, key → value, as checkpointed
     * @param current the same, now
     * @param ignored {@code pid:key} that may differ
     */
    static List<String> between(JsonObject recorded, JsonObject current, Set<String> ignored) {
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
                if (ignored.contains(name) || was != null && was.equals(is)) {
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
