package org.fedklpr.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureFileTest {
    private static final String FEATURE = """
            {
              "feature-resource-version": "1.0",
              "id": "org.example:tiny:osgifeature:1.0.0",
              "name": "tiny",
              "bundles": [
                {"id": "org.example:present:1.0.0"},
                {"id": "org.example:absent-for-sure:9.9.9"}
              ],
              "configurations": {
                "org.fedklpr.coordinator": {"rounds:Integer": 4, "aggregator": "fedpav",
                                            "objectives:String[]": ["identity-ce"], "learningRate:Double": 0.1}
              }
            }
            """;

    @Test
    void aMissingBundleIsNamedWithWhereItWasLookedFor(@TempDir Path folder) throws Exception {
        Path feature = Files.writeString(folder.resolve("tiny.json"), FEATURE);
        Path repository = Files.createDirectories(folder.resolve("bundles"));
        Files.writeString(repository.resolve("present-1.0.0.jar"), "not read here");
        LaunchException e = assertThrows(LaunchException.class, () -> FeatureFile.read(feature).bundles(repository));
        assertTrue(e.getMessage().contains("org.example:absent-for-sure:9.9.9")
                && e.getMessage().contains("absent-for-sure-9.9.9.jar") && e.getMessage().contains(repository.toString()),
                e.getMessage());
        FeatureFile.ResolvedBundle present = FeatureFile.read(feature).resolve(
                FeatureFile.read(feature).bundleIds().get(0), repository);
        assertEquals(repository.resolve("present-1.0.0.jar"), present.file());
    }

    @Test
    void overridesKeepTheTypesOfTheValuesTheyReplace(@TempDir Path folder) throws Exception {
        FeatureFile feature = FeatureFile.read(Files.writeString(folder.resolve("tiny.json"), FEATURE));
        List<FeatureFile.Configuration> configurations = feature.configurations(List.of(
                new LaunchOptions.Override("org.fedklpr.coordinator", "rounds", "2"),
                new LaunchOptions.Override("org.fedklpr.coordinator", "objectives", "identity-ce,triplet"),
                new LaunchOptions.Override("org.fedklpr.coordinator", "learningRate", "0.5"),
                new LaunchOptions.Override("org.fedklpr.other", "mode", "fast")));
        Map<String, Object> coordinator = configurations.get(0).values();
        assertEquals(2L, ((Number) coordinator.get("rounds")).longValue());
        assertArrayEquals(new String[] {"identity-ce", "triplet"}, (String[]) coordinator.get("objectives"));
        assertEquals(0.5, coordinator.get("learningRate"));
        assertEquals("fedpav", coordinator.get("aggregator"));
        assertEquals(Map.of("mode", "fast"), configurations.get(1).values());
    }

    @Test
    void anInvalidOrAbsentFeatureIsNamed(@TempDir Path folder) throws IOException {
        LaunchException absent = assertThrows(LaunchException.class,
                () -> FeatureFile.read(folder.resolve("nothing.json")));
        assertTrue(absent.getMessage().endsWith("does not exist"), absent.getMessage());
        Path broken = Files.writeString(folder.resolve("broken.json"), "{ \"bundles\": [");
        LaunchException invalid = assertThrows(LaunchException.class, () -> FeatureFile.read(broken));
        assertTrue(invalid.getMessage().contains("not a valid OSGi feature"), invalid.getMessage());
    }

    @Test
    void commandLinesAreParsedAndMistakesExplained(@TempDir Path home) throws LaunchException {
        LaunchOptions demo = LaunchOptions.parse(new String[] {"demo", "--rounds", "3", "--out", "x",
            "--set", "org.fedklpr.coordinator:aggregator=fedavg"}, home, home);
        assertEquals(home.resolve("features/demo.json"), demo.feature());
        assertEquals(home.resolve("x"), demo.runDirectory().orElseThrow());
        assertEquals(List.of(new LaunchOptions.Override("org.fedklpr.coordinator", "rounds", "3"),
                new LaunchOptions.Override("org.fedklpr.coordinator", "aggregator", "fedavg")), demo.overrides());
        assertTrue(assertThrows(LaunchException.class, () -> LaunchOptions.parse(new String[] {"run"}, home, home))
                .getMessage().contains("needs a feature file"));
        assertTrue(assertThrows(LaunchException.class,
                () -> LaunchOptions.parse(new String[] {"demo", "--set", "rounds=3"}, home, home)).getMessage()
                .contains("<pid>:<key>=<value>"));
        assertTrue(assertThrows(LaunchException.class, () -> LaunchOptions.parse(new String[] {"train"}, home, home))
                .getMessage().startsWith("unknown command 'train'"));
        Path elsewhere = home.resolve("elsewhere");
        LaunchOptions evaluate = LaunchOptions.parse(new String[] {"evaluate", "--gallery", "g.csv", "--query",
            "/tmp/q.csv"}, home, elsewhere);
        assertEquals(List.of("/tmp/q.csv", elsewhere.resolve("g.csv").toString()), evaluate.operands());
        assertTrue(assertThrows(LaunchException.class,
                () -> LaunchOptions.parse(new String[] {"evaluate", "--query", "q.csv"}, home, home)).getMessage()
                .contains("--gallery"));
        LaunchOptions inspect = LaunchOptions.parse(new String[] {"datasets", "inspect", "data/market"}, home,
                elsewhere);
        assertEquals(List.of(elsewhere.resolve("data/market").toString()), inspect.operands());
        assertTrue(assertThrows(LaunchException.class,
                () -> LaunchOptions.parse(new String[] {"datasets", "list"}, home, home)).getMessage()
                .contains("datasets inspect <folder>"));
    }
}
