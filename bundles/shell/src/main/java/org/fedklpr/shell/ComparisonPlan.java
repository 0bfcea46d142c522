package org.fedklpr.shell;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.settings.Settings;
import org.fedklpr.api.settings.SettingsException;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

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
    private static final String SHAPE = "{\"configurations\": [{\"name\": ..., \"settings\": {\"<pid>\": {\"<key>\": "
            + "value}}}]}";

    /** One configuration: its name, what it is, and its settings by PID (also as the plan's JSON text). */
    record Entry(String name, String description, Map<String, Map<String, Object>> settings, String settingsJson) {
        String folder() {
            return name.replaceAll("[^A-Za-z0-9._-]+", "-");
        }
    }

    /**
     * Reads a plan and checks every configuration's settings against the installed bundles' metatype
     * (all of them, before any run): each problem names the configuration, PID, key and value.
     */
    static ComparisonPlan parse(String json, Settings settings) {
        JsonObject root;
        try {
            root = JsonParser.parseString(json).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new FedklprException("the comparison plan is not a JSON object (" + e.getMessage() + "); expected "
                    + SHAPE, e);
        }
        List<String> problems = new ArrayList<>();
        List<Entry> entries = new ArrayList<>();
        JsonElement configurations = root.get("configurations");
        if (configurations == null || !configurations.isJsonArray() || configurations.getAsJsonArray().isEmpty()) {
            throw new FedklprException("the comparison plan lists no configurations; expected " + SHAPE);
        }
        for (JsonElement element : configurations.getAsJsonArray()) {
            JsonObject entry = element.isJsonObject() ? element.getAsJsonObject() : new JsonObject();
            if (!entry.has("name") || !entry.get("name").isJsonPrimitive()) {
                problems.add("comparison plan: a configuration has no \"name\": " + element);
                continue;
            }
            String name = entry.get("name").getAsString();
            String settingsJson = entry.has("settings") ? entry.get("settings").toString() : "{}";
            Map<String, Map<String, Object>> typed = Map.of();
            try {
                typed = settings.check(settings.read("comparison plan, configuration " + name, settingsJson));
            } catch (SettingsException e) {
                problems.addAll(e.problems());
            }
            entries.add(new Entry(name, entry.has("description") ? entry.get("description").getAsString() : "", typed,
                    settingsJson));
        }
        List<String> baselines = new ArrayList<>();
        if (root.has("baselines")) {
            root.getAsJsonArray("baselines").forEach(e -> baselines.add(e.getAsString()));
        }
        String subject = root.has("subject") ? root.get("subject").getAsString() : entries.get(0).name();
        String accuracyBaseline = root.has("accuracyBaseline") ? root.get("accuracyBaseline").getAsString()
                : baselines.isEmpty() ? "" : baselines.get(0);
        List<String> names = entries.stream().map(Entry::name).toList();
        List<String> named = new ArrayList<>(baselines);
        named.add(subject);
        if (!accuracyBaseline.isEmpty()) {
            named.add(accuracyBaseline);
        }
        for (String configuration : named) {
            if (!names.contains(configuration)) {
                problems.add("comparison plan: '" + configuration + "' (subject or baseline) is not one of its "
                        + "configurations: " + String.join(", ", names));
            }
        }
        if (!problems.isEmpty()) {
            throw new SettingsException(problems);
        }
        return new ComparisonPlan(subject, baselines, accuracyBaseline,
                root.has("savingTarget") ? root.get("savingTarget").getAsDouble() : 0.4,
                root.has("rank1Tolerance") ? root.get("rank1Tolerance").getAsDouble() : 0.01, entries, List.of());
    }

    /**
     * The configurations to run, in the plan's order.
     *
     * @param only names to keep; empty: all
     * @throws FedklprException naming each name the plan does not have, and the ones it has
     */
    List<Entry> selected(Set<String> only) {
        List<String> names = configurations.stream().map(Entry::name).toList();
        List<String> unknown = only.stream().filter(name -> !names.contains(name)).toList();
        if (!unknown.isEmpty()) {
            throw new FedklprException("--only " + String.join(",", only) + ": the plan has no configuration "
                    + unknown.stream().map(n -> "'" + n + "'").collect(Collectors.joining(", "))
                    + " (its configurations: "
                    + String.join(", ", names) + ")");
        }
        return configurations.stream().filter(entry -> only.isEmpty() || only.contains(entry.name())).toList();
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
}
