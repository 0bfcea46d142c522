package org.fedklpr.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
    void configurationsReachTheSettingsCheckExactlyAsWritten(@TempDir Path folder) throws Exception {
        FeatureFile feature = FeatureFile.read(Files.writeString(folder.resolve("tiny.json"), FEATURE.replace(
                "\"learningRate:Double\": 0.1", "\"learningRate:Double\": 0.1, \"batchSize:Integer\": 1.5")));
        String configurations = feature.configurationsJson();
        assertTrue(configurations.contains("\"batchSize:Integer\":1.5"), configurations);
        assertTrue(configurations.contains("\"rounds:Integer\":4"), configurations);
        assertEquals(null, FeatureFile.read(Files.writeString(folder.resolve("bare.json"),
                FEATURE.substring(0, FEATURE.indexOf(",\n  \"configurations\"")) + "}")).configurationsJson());
    }

    @Test
    void anInvalidOrAbsentFeatureIsNamed(@TempDir Path folder) throws IOException {
        LaunchException absent = assertThrows(LaunchException.class,
                () -> FeatureFile.read(folder.resolve("nothing.json")));
        assertTrue(absent.getMessage().endsWith("does not exist"), absent.getMessage());
        Path broken = Files.writeString(folder.resolve("broken.json"), "{ \"bundles\": [");
        LaunchException invalid = assertThrows(LaunchException.class, () -> FeatureFile.read(broken));
        assertTrue(invalid.getMessage().contains("broken.json is not valid JSON"), invalid.getMessage());
        Path notAFeature = Files.writeString(folder.resolve("list.json"), "{ \"bundles\": 3 }");
        LaunchException wrongShape = assertThrows(LaunchException.class, () -> FeatureFile.read(notAFeature));
        assertTrue(wrongShape.getMessage().contains("list.json is not a valid OSGi feature"), wrongShape.getMessage());
    }

    private static String refused(Path home, String... arguments) {
        return assertThrows(LaunchException.class, () -> LaunchOptions.parse(arguments, home, home)).getMessage();
    }

    @Test
    void commandLinesAreParsedAndMistakesExplained(@TempDir Path home) throws LaunchException {
        LaunchOptions demo = LaunchOptions.parse(new String[] {"demo", "--rounds", "3", "--out", "x",
            "--set", "org.fedklpr.coordinator:aggregator=fedavg"}, home, home);
        assertEquals(home.resolve("features/demo.json"), demo.feature());
        assertEquals(home.resolve("x"), demo.runDirectory().orElseThrow());
        assertEquals(List.of(new LaunchOptions.Override("--rounds", "org.fedklpr.coordinator", "rounds", "3"),
                new LaunchOptions.Override("--set", "org.fedklpr.coordinator", "aggregator", "fedavg")),
                demo.overrides());
        assertTrue(refused(home, "run").contains("fedklpr run: needs FEATURE"));
        assertTrue(refused(home, "demo", "--set", "rounds=3").contains("expected PID:KEY=VALUE"));
        assertTrue(refused(home, "train").startsWith("unknown command 'train'"));
        assertTrue(refused(home, "demo", "--out").startsWith("fedklpr demo: option --out needs a value: DIR"));
        assertTrue(refused(home, "evaluate", "--query", "--gallery", "g.csv")
                .startsWith("fedklpr evaluate: option --query needs a value: FILE"));
        assertTrue(refused(home, "demo", "--seeds", "2").startsWith("fedklpr demo: unknown option '--seeds'"));
        assertTrue(refused(home, "compare", "f.json", "--seeds", "0").contains("expected a whole number"));
        assertTrue(refused(home, "demo", "extra").contains("unexpected argument 'extra'"));
        Path elsewhere = home.resolve("elsewhere");
        LaunchOptions evaluate = LaunchOptions.parse(new String[] {"evaluate", "--gallery", "g.csv", "--query",
            "/tmp/q.csv"}, home, elsewhere);
        assertEquals(List.of("/tmp/q.csv", elsewhere.resolve("g.csv").toString()), evaluate.operands());
        assertTrue(refused(home, "evaluate", "--query", "q.csv").contains("--gallery"));
        LaunchOptions inspect = LaunchOptions.parse(new String[] {"datasets", "inspect", "data/market"}, home,
                elsewhere);
        assertEquals(List.of(elsewhere.resolve("data/market").toString()), inspect.operands());
        assertTrue(refused(home, "datasets", "list").contains("expected 'datasets inspect FOLDER'"));
    }

    @Test
    void aFederationsCommandsNameWhatTheyLack(@TempDir Path home) throws Exception {
        Path data = Files.createDirectories(home.resolve("market"));
        Path token = Files.writeString(home.resolve("market.token"), "0".repeat(64));
        assertTrue(refused(home, "site", "site.json", "--coordinator", "h:7077", "--data", "market", "--token-file",
                "market.token", "--plaintext").contains("needs --name NAME"));
        assertTrue(refused(home, "site", "site.json", "--coordinator", "h", "--name", "market", "--data", "market",
                "--token-file", "market.token", "--plaintext").contains("--coordinator h: expected HOST:PORT"));
        assertTrue(refused(home, "site", "site.json", "--coordinator", "h:1", "--name", "market", "--data", "nowhere",
                "--token-file", "market.token", "--plaintext").contains("--data nowhere: no such folder"));
        assertTrue(refused(home, "site", "site.json", "--coordinator", "h:1", "--name", "market", "--data", "market",
                "--token-file", "market.token").contains("needs --trust FILE"), "TLS unless --plaintext");
        LaunchOptions site = LaunchOptions.parse(new String[] {"site", "site.json", "--coordinator", "h:7077", "--name",
            "market", "--data", "market", "--token-file", "market.token", "--plaintext"}, home, home);
        assertEquals(List.of("h:7077", "market", data.toString(), home.resolve("site-state/market").toString(),
                token.toString(), "", "true"), site.operands());
        assertTrue(refused(home, "coordinator", "c.json", "--listen", "0.0.0.0:7077").contains(
                "needs --credentials DIR"));
        assertTrue(refused(home, "coordinator", "c.json", "--listen", "0.0.0.0:99999", "--credentials", "x")
                .contains("expected HOST:PORT (a port from 0 to 65535)"));
        assertTrue(refused(home, "demo", "--transport", "carrier-pigeon").contains("expected inprocess or grpc"));
        assertTrue(refused(home, "assemble", "site.json").contains("needs --out"));
    }

    @Test
    void everyCommandHasHelpWithAnExample() {
        assertTrue(LaunchOptions.commands().containsAll(List.of("demo", "run", "compare", "shell", "evaluate",
                "datasets", "bench", "settings", "coordinator", "site", "credentials", "assemble", "help")));
        for (String command : LaunchOptions.commands()) {
            String usage = LaunchOptions.help(new String[] {command, "--help"}).orElseThrow();
            assertTrue(usage.startsWith("usage: fedklpr " + command), usage);
            assertTrue(usage.contains("example:\n  fedklpr " + command), usage);
            assertEquals(usage, LaunchOptions.help(new String[] {"help", command}).orElseThrow());
        }
        assertTrue(LaunchOptions.help(new String[] {"evaluate", "-h"}).orElseThrow().contains("pid -1 is junk"));
        assertTrue(LaunchOptions.help(new String[] {"--help"}).orElseThrow().contains("exit codes:"));
        assertTrue(LaunchOptions.help(new String[] {"demo", "--rounds", "2"}).isEmpty());
    }
}
