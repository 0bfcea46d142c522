package org.fedklpr.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

class SettingsDifferenceTest {
    private static JsonObject json(String text) {
        return JsonParser.parseString(text).getAsJsonObject();
    }

    @Test
    void everyDifferenceIsNamedOnceAndTheIgnoredKeysAreNot() {
        JsonObject recorded = json("""
                {"org.fedklpr.coordinator": {"aggregator": "fedpav", "rounds": 4, "learningRate": 0.02,
                                             "objectives": ["identity-ce"]},
                 "org.fedklpr.prune.crr": {"step": 0.1}}""");
        JsonObject current = json("""
                {"org.fedklpr.coordinator": {"aggregator": "fedavg", "rounds": 2, "learningRate": 0.02,
                                             "objectives": ["identity-ce", "kll"]},
                 "org.fedklpr.loss.kll": {"lambda": 1.0}}""");
        assertEquals(List.of(
                "org.fedklpr.coordinator:aggregator was 'fedpav', now 'fedavg'",
                "org.fedklpr.coordinator:objectives was [\"identity-ce\"], now [\"identity-ce\",\"kll\"]",
                "org.fedklpr.loss.kll:lambda was not set (no installed bundle had that key), now 1.0",
                "org.fedklpr.prune.crr:step was 0.1, now not set (no installed bundle had that key)"),
                SettingsDifference.between(recorded, current, Set.of("org.fedklpr.coordinator:rounds")));
        assertEquals(List.of(), SettingsDifference.between(recorded, recorded, Set.of()));
    }
}
