package org.fedklpr.settings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.fedklpr.api.settings.Setting;
import org.fedklpr.api.settings.SettingsException;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

/**
 * Reads configurations written as JSON, {@code {"pid": {"key[:Type]": value}}} (a feature file's
 * {@code "configurations"}, a comparison plan's {@code "settings"}), keeping numbers exactly as
 * written so that {@code 1.5} is never read as an Integer 1.
 */
final class JsonSettings {
    private JsonSettings() {
    }

    static List<Setting> read(String origin, String json) {
        JsonElement root;
        try {
            root = JsonParser.parseString(json);
        } catch (JsonParseException e) {
            throw new SettingsException(List.of(origin + ": the configurations are not valid JSON: " + e.getMessage()));
        }
        List<Setting> settings = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (root.isJsonNull()) {
            return settings;
        }
        if (!root.isJsonObject()) {
            throw new SettingsException(List.of(origin + ": the configurations must be an object of PIDs, "
                    + "{\"pid\": {\"key\": value}}, got " + root));
        }
        for (Map.Entry<String, JsonElement> pid : root.getAsJsonObject().entrySet()) {
            if (!pid.getValue().isJsonObject()) {
                problems.add(origin + ": " + pid.getKey() + ": expected an object of keys and values, got "
                        + pid.getValue());
                continue;
            }
            for (Map.Entry<String, JsonElement> entry : pid.getValue().getAsJsonObject().entrySet()) {
                String key = entry.getKey();
                int colon = key.indexOf(':');
                String hint = colon < 0 ? "" : key.substring(colon + 1).trim();
                String name = colon < 0 ? key : key.substring(0, colon);
                try {
                    settings.add(new Setting(origin, pid.getKey(), name, hint, value(entry.getValue())));
                } catch (IllegalArgumentException e) {
                    problems.add(origin + ": " + pid.getKey() + ":" + name + "=" + entry.getValue() + ": "
                            + e.getMessage());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new SettingsException(problems);
        }
        return settings;
    }

    private static Object value(JsonElement element) {
        if (element.isJsonArray()) {
            List<Object> items = new ArrayList<>();
            for (JsonElement item : element.getAsJsonArray()) {
                if (!item.isJsonPrimitive()) {
                    throw new IllegalArgumentException("a list may hold only text, numbers and true/false");
                }
                items.add(value(item));
            }
            return items;
        }
        if (element.isJsonPrimitive()) {
            JsonPrimitive primitive = element.getAsJsonPrimitive();
            if (primitive.isBoolean()) {
                return primitive.getAsBoolean();
            }
            if (primitive.isNumber()) {
                return primitive.getAsBigDecimal();
            }
            return primitive.getAsString();
        }
        if (element instanceof JsonObject) {
            throw new IllegalArgumentException("a value cannot be an object");
        }
        throw new IllegalArgumentException("a value cannot be null");
    }
}
