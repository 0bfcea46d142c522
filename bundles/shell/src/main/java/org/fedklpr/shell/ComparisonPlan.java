package org.fedklpr.shell;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fedklpr.api.FedklprException;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

/**
 * What {@code fedklpr compare} runs, from a feature's {@code fedklpr-comparison} extension:
 *
 * <pre>
 * {"subject": "FedKLPR", "baselines": ["FedPav", "FedAvg"], "accuracyBaseline": "FedPav",
 *  "savingTarget": 0.40, "rank1Tolerance": 0.01,
 *  "configurations": [{"name": "FedAvg", "description": "...",
 *                      "settings": {"org.fedklpr.coordinator": {"aggregator": "fedavg"}}}, ...]}
 * </pre>
 *
 * Settings apply on top of the feature's own configurations, one configuration at a time, and
 * command-line settings ({@code --set}) on top of both (see {@link #overriddenBy}). The subject
 * meets its targets when it saves {@code savingTarget} of the traffic of every baseline and its
 * Rank-1 is at most {@code rank1Tolerance} below the accuracy baseline's.
 *
 * @param commandLine the command-line settings that won over the configurations', as typed
 *        ({@code pid:key=value})
 */
record ComparisonPlan(String subject, List<String> baselines, String accuracyBaseline, double savingTarget,
        double rank1Tolerance, List<Entry> configurations, List<String> commandLine) {

    private static final Gson GSON = new Gson();

    /** One configuration: its name, what it is, and its settings by PID (also as the plan's JSON text). */
    record Entry(String name, String description, Map<String, Map<String, Object>> settings, String settingsJson) {
        String folder() {
            return name.replaceAll("[^A-Za-z0-9._-]+", "-");
        }
    }

    static ComparisonPlan parse(String json) {
        try {
            JsonObject root = JsonParser.parseString(json).getAsJsonObject();
            List<String> baselines = new ArrayList<>();
            if (root.has("baselines")) {
                root.getAsJsonArray("baselines").forEach(e -> baselines.add(e.getAsString()));
            }
            List<Entry> entries = new ArrayList<>();
            for (JsonElement element : root.getAsJsonArray("configurations")) {
                JsonObject entry = element.getAsJsonObject();
                Map<String, Map<String, Object>> settings = new LinkedHashMap<>();
                if (entry.has("settings")) {
                    for (Map.Entry<String, JsonElement> pid : entry.getAsJsonObject("settings").entrySet()) {
                        Map<String, Object> values = new LinkedHashMap<>();
                        for (Map.Entry<String, JsonElement> value : pid.getValue().getAsJsonObject().entrySet()) {
                            values.put(value.getKey(), toConfigurationValue(value.getValue()));
                        }
                        settings.put(pid.getKey(), values);
                    }
                }
                entries.add(new Entry(entry.get("name").getAsString(),
                        entry.has("description") ? entry.get("description").getAsString() : "", settings,
                        entry.has("settings") ? entry.get("settings").toString() : "{}"));
            }
            if (entries.isEmpty()) {
                throw new IllegalArgumentException("it lists no configurations");
            }
            return new ComparisonPlan(root.has("subject") ? root.get("subject").getAsString() : entries.get(0).name(),
                    baselines, root.has("accuracyBaseline") ? root.get("accuracyBaseline").getAsString()
                            : baselines.isEmpty() ? "" : baselines.get(0),
                    root.has("savingTarget") ? root.get("savingTarget").getAsDouble() : 0.4,
                    root.has("rank1Tolerance") ? root.get("rank1Tolerance").getAsDouble() : 0.01, entries,
                    List.of());
        } catch (RuntimeException e) {
            throw new FedklprException("the comparison plan is not valid (" + e.getMessage() + "); expected "
                    + "{\"configurations\": [{\"name\": ..., \"settings\": {\"<pid>\": {\"<key>\": value}}}]}", e);
        }
    }

    /**
     * This plan with command-line settings winning over the configurations' own. The launcher has
     * already put them into the runtime's configuration, which every configuration starts from; so
     * each configuration forgets the keys they set. Otherwise {@code --only FedKLPR-noKLAW --set
     * org.fedklpr.coordinator:objectives=identity-ce} would quietly keep the configuration's KLL.
     *
     * @param settings {@code pid:key=value} each
     */
    ComparisonPlan overriddenBy(List<String> settings) {
        if (settings.isEmpty()) {
            return this;
        }
        List<String[]> pidAndKey = new ArrayList<>();
        for (String setting : settings) {
            int colon = setting.indexOf(':');
            int equals = setting.indexOf('=', colon + 1);
            if (colon <= 0 || equals <= colon + 1) {
                throw new FedklprException("command-line setting '" + setting + "' is not <pid>:<key>=<value>");
            }
            pidAndKey.add(new String[] {setting.substring(0, colon), setting.substring(colon + 1, equals)});
        }
        List<Entry> entries = new ArrayList<>();
        for (Entry entry : configurations) {
            Map<String, Map<String, Object>> kept = new LinkedHashMap<>();
            entry.settings().forEach((pid, values) -> kept.put(pid, new LinkedHashMap<>(values)));
            boolean changed = false;
            for (String[] overridden : pidAndKey) {
                Map<String, Object> values = kept.get(overridden[0]);
                changed |= values != null && values.remove(overridden[1]) != null;
            }
            kept.values().removeIf(Map::isEmpty);
            entries.add(changed ? new Entry(entry.name(), entry.description(), kept, GSON.toJson(kept)) : entry);
        }
        return new ComparisonPlan(subject, baselines, accuracyBaseline, savingTarget, rank1Tolerance, entries,
                List.copyOf(settings));
    }

    /** JSON to the types Config Admin stores: Integer/Double/Boolean/String and arrays of them. */
    static Object toConfigurationValue(JsonElement value) {
        if (value.isJsonArray()) {
            JsonArray array = value.getAsJsonArray();
            boolean numbers = array.size() > 0 && array.get(0).isJsonPrimitive()
                    && array.get(0).getAsJsonPrimitive().isNumber();
            if (!numbers) {
                String[] strings = new String[array.size()];
                for (int i = 0; i < strings.length; i++) {
                    strings[i] = array.get(i).getAsString();
                }
                return strings;
            }
            boolean integral = true;
            for (JsonElement element : array) {
                integral &= isIntegral(element.getAsJsonPrimitive());
            }
            if (integral) {
                Integer[] integers = new Integer[array.size()];
                for (int i = 0; i < integers.length; i++) {
                    integers[i] = array.get(i).getAsInt();
                }
                return integers;
            }
            Double[] doubles = new Double[array.size()];
            for (int i = 0; i < doubles.length; i++) {
                doubles[i] = array.get(i).getAsDouble();
            }
            return doubles;
        }
        JsonPrimitive primitive = value.getAsJsonPrimitive();
        if (primitive.isBoolean()) {
            return primitive.getAsBoolean();
        }
        if (primitive.isNumber()) {
            return isIntegral(primitive) ? (Object) primitive.getAsInt() : (Object) primitive.getAsDouble();
        }
        return primitive.getAsString();
    }

    private static boolean isIntegral(JsonPrimitive primitive) {
        double value = primitive.getAsDouble();
        return primitive.isNumber() && value == Math.rint(value) && Math.abs(value) <= Integer.MAX_VALUE
                && !primitive.getAsString().contains(".");
    }
}
