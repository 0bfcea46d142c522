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
                SettingsDifference.between(recorded, current, Set.of("org.fedklpr.coordinator:rounds"),
                        new JsonObject()));
        assertEquals(List.of(), SettingsDifference.between(recorded, recorded, Set.of(), new JsonObject()));
    }

    /** A key added after the run was made is no difference at its default (its behaviour before), else it is. */
    @Test
    void aKeyAddedLaterCountsOnlyWhenItIsNotAtItsDefault() {
        JsonObject recorded = json("""
                {"org.fedklpr.coordinator": {"aggregator": "klpwa"}}""");
        JsonObject defaults = json("""
                {"org.fedklpr.coordinator": {"aggregator": "fedpav", "pruningMask": "site"},
                 "org.fedklpr.compress.topk": {"fraction": 0.1}}""");
        JsonObject atDefaults = json("""
                {"org.fedklpr.coordinator": {"aggregator": "klpwa", "pruningMask": "site"},
                 "org.fedklpr.compress.topk": {"fraction": 0.1}}""");
        assertEquals(List.of(), SettingsDifference.between(recorded, atDefaults, Set.of(), defaults));
        JsonObject changed = json("""
                {"org.fedklpr.coordinator": {"aggregator": "klpwa", "pruningMask": "coordinator"},
                 "org.fedklpr.compress.topk": {"fraction": 0.01}}""");
        assertEquals(List.of("org.fedklpr.compress.topk:fraction was not set (no installed bundle had that key), "
                + "now 0.01", "org.fedklpr.coordinator:pruningMask was not set (no installed bundle had that key), "
                + "now 'coordinator'"), SettingsDifference.between(recorded, changed, Set.of(), defaults));
    }
}
