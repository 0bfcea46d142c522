package org.fedklpr.settings;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.fedklpr.api.settings.Setting;
import org.fedklpr.api.settings.SettingsException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The metatype of a real document (read with Felix's reader) decides every key, type, option and range. */
class SettingsCheckTest {
    private static final String PID = "org.example.experiment";
    private final SettingsCheck check = new SettingsCheck(new SettingsCatalogue(MetatypeDocuments.read("org.example",
            List.of(SettingsCheckTest.class.getResource("/example-metatype.xml")))));

    @Test
    void featureValuesAndCommandLineTextAreTypedAsTheMetatypeDeclares() {
        List<Setting> settings = JsonSettings.read("f.json", """
                {"org.example.experiment": {"rounds:Integer": 4, "objectives:String[]": ["identity-ce", "kll"],
                  "learningRate": 0.02, "seed:Long": 7, "sizes:int[]": [5, 6], "shared:Boolean": true,
                  "optimizer": "adam"},
                 "org.example.site~north": {"host": "10.0.0.1"}}
                """);
        Map<String, Map<String, Object>> typed = check.check(concat(settings, List.of(
                Setting.text("--set", PID, "rounds", "2"), Setting.text("--set", PID, "sizes", "1, 2,3"),
                Setting.text("--set", PID, "fraction", "0.5"))));
        Map<String, Object> experiment = typed.get(PID);
        assertEquals(2, experiment.get("rounds"));
        assertArrayEquals(new String[] {"identity-ce", "kll"}, (String[]) experiment.get("objectives"));
        assertEquals(0.02, experiment.get("learningRate"));
        assertEquals(7L, experiment.get("seed"));
        assertArrayEquals(new int[] {1, 2, 3}, (int[]) experiment.get("sizes"));
        assertEquals(true, experiment.get("shared"));
        assertEquals(0.5, experiment.get("fraction"));
        assertEquals("10.0.0.1", typed.get("org.example.site~north").get("host"));
        // one value where a list is declared is a list of one
        assertArrayEquals(new int[] {3}, (int[]) check.check(List.of(Setting.text("x", PID, "sizes", "3")))
                .get(PID).get("sizes"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            aggregater   | fedavg  | org.example.experiment has no key 'aggregater' (did you mean aggregator?)
            colour       | red     | has no key 'colour' (its keys: rounds, aggregator,
            rate         | 0.1     | has no key 'rate' (did you mean learningRate?)
            learningRate | abc     | expected a finite number (Double), got 'abc'
            learningRate | NaN     | expected a finite number (Double), got 'NaN'
            learningRate | -1      | expected a finite number (Double) ≥ 0, got -1.0
            rounds       | abc     | expected a whole number (Integer), got 'abc'
            rounds       | 1.5     | expected a whole number (Integer), got 1.5
            rounds       | -3      | expected a whole number (Integer) ≥ 0, got -3
            rounds       | 99999999999 | expected a whole number (Integer) from -2147483648 to 2147483647
            shared       | yes     | expected true or false (Boolean), got 'yes'
            optimizer    | adma    | expected one of sgd, adam (did you mean adam?), got 'adma'
            fraction     | 1.5     | expected a finite number (Double) from 0.0 to 1.0, got 1.5
            sizes        | 1,x     | expected a whole number (Integer), got 'x'
            """)
    void aBadCommandLineValueIsOneLineNamingPidKeyValueAndWhatWasExpected(String key, String value, String expected) {
        SettingsException e = assertThrows(SettingsException.class,
                () -> check.check(List.of(Setting.text("--set", PID, key, value))));
        assertEquals(1, e.problems().size(), e.getMessage());
        String line = e.problems().get(0);
        assertTrue(line.startsWith("--set: " + PID + ":" + key + "=" + value + ": "), line);
        assertTrue(line.contains(expected), line);
    }

    @Test
    void featureFileValuesAreNotRoundedOrGuessed() {
        SettingsException e = assertThrows(SettingsException.class, () -> check.check(JsonSettings.read("f.json", """
                {"org.example.experiment": {"rounds:Integer": 1.5, "shared:Boolean": "yes", "learningRate:Integer": 0.5,
                  "aggregator": 3, "rounds:Integr": 2, "learningRate:Double[]": [0.1]},
                 "org.exmple.experiment": {"rounds": 1, "seed": 2}}
                """)));
        List<String> problems = e.problems();
        assertEquals(7, problems.size(), e.getMessage());
        assertTrue(problems.get(0).startsWith("f.json: org.example.experiment:rounds=1.5: expected a whole number"
                + " (Integer) as its type 'Integer' says"), problems.get(0));
        assertTrue(problems.get(1).contains("shared=yes: expected true or false (Boolean) as its type 'Boolean' says"), problems.get(1));
        assertTrue(problems.get(2).contains("learningRate=0.5: expected a whole number (Integer) as its type"), problems.get(2));
        assertTrue(problems.get(3).contains("aggregator=3: expected text (String) in quotes, got 3"), problems.get(3));
        assertTrue(problems.get(4).contains("'Integr' after the key is not a configuration type"), problems.get(4));
        assertTrue(problems.get(5).contains("the key takes one value"), problems.get(5));
        // one line for the unknown PID, however many keys it has
        assertEquals("f.json: org.exmple.experiment:rounds=1: no installed bundle declares the configuration PID"
                + " org.exmple.experiment in its metatype (did you mean org.example.experiment?); fedklpr settings lists"
                + " the known ones",
                problems.get(6));
    }

    @Test
    void aLaterSettingWinsAndUnknownFactoriesAreNamed() {
        Map<String, Map<String, Object>> typed = check.check(List.of(Setting.text("f", PID, "rounds", "3"),
                Setting.text("--rounds", PID, "rounds", "5")));
        assertEquals(5, typed.get(PID).get("rounds"));
        SettingsException e = assertThrows(SettingsException.class,
                () -> check.check(List.of(Setting.text("--set", "org.example.sight~a", "host", "h"))));
        assertTrue(e.getMessage().contains("did you mean org.example.site~a?"), e.getMessage());
    }

    @Test
    void nearestNamesAllowSmallSlipsOnly() {
        assertEquals("aggregator", NearestName.of("agregator", List.of("aggregator", "rounds")).orElseThrow());
        assertEquals("learningRate", NearestName.of("learningrate", List.of("learningRate")).orElseThrow());
        assertTrue(NearestName.of("colour", List.of("aggregator", "rounds")).isEmpty());
        assertEquals("org.fedklpr.loss.kll", NearestName.of("org.fedklpr.kll",
                List.of("org.fedklpr.coordinator", "org.fedklpr.loss.kll")).orElseThrow());
        assertEquals(1, NearestName.distance("ab", "ba"));
    }

    private static List<Setting> concat(List<Setting> a, List<Setting> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
