package org.fedklpr.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.fedklpr.itest.Fedklpr.Result;
import org.fedklpr.itest.Fedklpr.Started;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * A federation of real JVMs on loopback: sites that each read only their own data, a coordinator
 * that has no learning engine, gRPC between them. The metrics must be those of the in-process
 * simulation of the same experiment, to the last bit.
 */
class FederationOverGrpcTest {
    /** What must be equal between transports: every score, loss and payload size of every row. */
    private static final List<String> COMPARED = List.of("round", "client", "rank1", "rank5", "rank10", "mAP", "loss",
            "bytes_up", "bytes_down", "status", "samples", "queries");

    @TempDir
    static Path work;
    private static Fedklpr fedklpr;
    private static Path feature;
    /** The in-process run of the tiny feature, two rounds: the reference. */
    private static List<JsonObject> simulated;

    @BeforeAll
    static void runTheSimulation() throws Exception {
        fedklpr = new Fedklpr(work);
        feature = fedklpr.tinyFeature();
        Result result = fedklpr.run("run", feature.toString(), "--rounds", "2", "--out", work.resolve("simulated")
                .toString());
        assertEquals(0, result.code(), result.toString());
        simulated = rows(work.resolve("simulated"));
    }

    private static List<JsonObject> rows(Path run) throws IOException {
        List<JsonObject> rows = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            rows.add(JsonParser.parseString(line).getAsJsonObject());
        }
        return rows;
    }

    private static void assertSameMetrics(List<JsonObject> expected, List<JsonObject> actual) {
        assertEquals(expected.size(), actual.size(), "rows");
        for (int i = 0; i < expected.size(); i++) {
            for (String key : COMPARED) {
                assertEquals(expected.get(i).get(key), actual.get(i).get(key), key + " of row " + i + ": "
                        + actual.get(i));
            }
        }
    }

    @Test
    void aLoopbackFederationOfSiteJvmsGivesTheSimulationsMetrics() throws Exception {
        Path run = work.resolve("loopback");
        Result result = fedklpr.run("run", feature.toString(), "--rounds", "2", "--transport", "grpc", "--out",
                run.toString());
        assertEquals(0, result.code(), result.toString());
        List<JsonObject> rows = rows(run);
        assertSameMetrics(simulated, rows);
        JsonObject trained = rows.get(rows.size() - 1);
        assertTrue(trained.get("wire_bytes_up").getAsLong() > trained.get("bytes_up").getAsLong(), trained.toString());
        for (String site : List.of("client-1", "client-2")) {
            assertTrue(Files.readString(run.resolve("sites/" + site + ".log")).contains("the experiment is over"));
        }
    }

    @Test
    void aCoordinatorWithoutAnEngineAndTwoSitesOverTlsRefuseAWrongTokenAndGiveTheSimulationsMetrics()
            throws Exception {
        Path credentials = work.resolve("credentials");
        Result made = fedklpr.run("credentials", "--out", credentials.toString(), "--sites", "client-1,client-2");
        assertEquals(0, made.code(), made.toString());

        Path run = work.resolve("federation");
        // The tiny feature's experiment, from the coordinator's own runtime (no DJL in it).
        Started coordinator = fedklpr.start("coordinator", Fedklpr.HOME.resolve("features/coordinator.json").toString(),
                "--listen", "127.0.0.1:0", "--credentials", credentials.toString(), "--rounds", "2", "--out",
                run.toString(), "--set", Fedklpr.COORDINATOR + ":batchSize=16", "--set", Fedklpr.COORDINATOR
                        + ":localEpochs=1", "--set", Fedklpr.COORDINATOR + ":learningRate=0.01", "--set",
                Fedklpr.COORDINATOR + ":name=tiny");
        String listening = listeningAddress(coordinator);

        Path stranger = Files.writeString(work.resolve("stranger.token"), "0".repeat(64) + "\n");
        Result refused = fedklpr.run("site", Fedklpr.HOME.resolve("features/site.json").toString(), "--coordinator",
                listening, "--name", "client-1", "--data", work.resolve("data/client-1").toString(), "--token-file",
                stranger.toString(), "--trust", credentials.resolve("ca.pem").toString());
        assertEquals(2, refused.code(), refused.toString());
        assertTrue(refused.err().contains("refused site client-1: the token is not one of this coordinator's sites"),
                refused.toString());

        // client-2 runs from an assembled site runtime, unpacked, with no Maven repository to lean on.
        Path archive = work.resolve("fedklpr-site.tar.gz");
        Result assembled = fedklpr.run("assemble", Fedklpr.HOME.resolve("features/site.json").toString(), "--out",
                archive.toString());
        assertEquals(0, assembled.code(), assembled.toString());
        Process unpack = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", work.toString()).inheritIO()
                .start();
        assertEquals(0, unpack.waitFor());
        Fedklpr assembledSite = fedklpr.assembled(work.resolve("fedklpr-site"));
        List<Started> sites = new ArrayList<>();
        for (String site : List.of("client-1", "client-2")) {
            sites.add((site.equals("client-2") ? assembledSite : fedklpr).start("site",
                    (site.equals("client-2") ? work.resolve("fedklpr-site") : Fedklpr.HOME).resolve(
                            "features/site.json").toString(), "--coordinator", listening, "--name", site, "--data", work.resolve("data/"
                                    + site).toString(), "--state", work.resolve("state/" + site).toString(),
                    "--token-file", credentials.resolve(site + ".token").toString(), "--trust",
                    credentials.resolve("ca.pem").toString()));
        }
        Result finished = coordinator.await();
        assertEquals(0, finished.code(), finished.toString());
        assertTrue(finished.err().contains("refused a call from"), "the wrong token is logged: " + finished);
        for (Started site : sites) {
            Result ended = site.await();
            assertEquals(0, ended.code(), ended.toString());
        }
        assertSameMetrics(simulated, rows(run));
        assertTrue(Files.list(work.resolve("state/client-1")).findAny().isPresent(), "the site keeps its own state");
        assertTrue(Files.notExists(run.resolve("sites")), "and the coordinator none of it");
    }

    @Test
    void aSiteKilledMidRoundIsNamedTheRoundGoesOnAndAKilledCoordinatorResumesWithItsSitesBack() throws Exception {
        Path feature3 = fedklpr.tinyFeature("tiny3", 3);
        Result written = fedklpr.run("run", feature3.toString(), "--rounds", "0", "--out", work.resolve("world3")
                .toString());
        assertEquals(0, written.code(), written.toString());
        Path credentials = work.resolve("credentials3");
        assertEquals(0, fedklpr.run("credentials", "--out", credentials.toString(), "--sites",
                "client-1,client-2,client-3").code());
        String address = "127.0.0.1:" + freePort();
        Path run = work.resolve("federation3");
        // Thirty local epochs: a round lasts seconds, long enough to kill a site in the middle of it.
        String[] coordinatorCommand = {"coordinator", Fedklpr.HOME.resolve("features/coordinator.json").toString(),
            "--listen", address, "--credentials", credentials.toString(), "--rounds", "3", "--out", run.toString(),
            "--set", Fedklpr.COORDINATOR + ":batchSize=16", "--set", Fedklpr.COORDINATOR + ":localEpochs=30"};
        Started coordinator = fedklpr.start(coordinatorCommand);
        Started[] sites = new Started[3];
        for (int k = 0; k < 3; k++) {
            sites[k] = site(credentials, address, "client-" + (k + 1), fedklpr.data("tiny3"));
        }
        awaitRows(run, 3, coordinator);
        Thread.sleep(2000);
        sites[2].process().destroyForcibly();
        awaitRows(run, 6, coordinator);
        JsonObject lost = rows(run).get(5);
        assertEquals("client-3", lost.get("client").getAsString());
        assertTrue(lost.get("status").getAsString().startsWith("lost: site client-3: its connection closed while it "
                + "worked on train"), lost.toString());
        assertTrue(lost.get("rank1").isJsonNull(), lost.toString());
        assertEquals("trained", rows(run).get(3).get("status").getAsString(), "the round went on with a quorum");

        sites[2] = site(credentials, address, "client-3", fedklpr.data("tiny3"));
        // Killed once round 2 is complete: its rows logged, every site's state and the checkpoint saved.
        awaitCheckpoint(run, 2, coordinator);
        coordinator.process().destroyForcibly();
        coordinator.process().waitFor();
        Result resumed = fedklpr.start(coordinatorCommand).await();
        assertEquals(0, resumed.code(), resumed.toString());
        assertTrue(resumed.err().contains("resuming " + run + " after round 2"), resumed.toString());
        for (Started site : sites) {
            assertEquals(0, site.await().code(), "every site comes back and ends with the experiment");
        }
        List<JsonObject> rows = rows(run);
        assertEquals(12, rows.size(), "rounds 0 to 3, each once, for three sites: " + rows);
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(i / 3, rows.get(i).get("round").getAsInt(), rows.get(i).toString());
        }
        for (JsonObject row : rows.subList(9, 12)) {
            assertEquals("trained", row.get("status").getAsString(), "the killed site is back: " + row);
        }
        JsonObject summary = JsonParser.parseString(Files.readString(run.resolve("summary.json"))).getAsJsonObject();
        assertEquals("finished", summary.get("status").getAsString());
        assertEquals(3, summary.get("rounds_completed").getAsInt());
        assertEquals(2, summary.get("resumed_from_round").getAsInt());
    }

    private Started site(Path credentials, String address, String name, Path data) throws IOException {
        return fedklpr.start("site", Fedklpr.HOME.resolve("features/site.json").toString(), "--coordinator", address,
                "--name", name, "--data", data.resolve(name).toString(), "--state", work.resolve("state3/" + name)
                        .toString(), "--token-file", credentials.resolve(name + ".token").toString(), "--trust",
                credentials.resolve("ca.pem").toString());
    }

    private static void awaitRows(Path run, int rows, Started coordinator) throws Exception {
        long deadline = System.currentTimeMillis() + 180_000;
        Path metrics = run.resolve("metrics.jsonl");
        while (!Files.exists(metrics) || Files.readAllLines(metrics).size() < rows) {
            if (System.currentTimeMillis() > deadline || !coordinator.process().isAlive()) {
                throw new AssertionError("no " + rows + " rows in " + metrics + ": " + (coordinator.process().isAlive()
                        ? "still running" : coordinator.result()));
            }
            Thread.sleep(200);
        }
    }

    private static void awaitCheckpoint(Path run, int round, Started coordinator) throws Exception {
        long deadline = System.currentTimeMillis() + 180_000;
        Path progress = run.resolve("checkpoint/progress.json");
        while (true) {
            if (Files.exists(progress)) {
                try {
                    if (JsonParser.parseString(Files.readString(progress)).getAsJsonObject().get("round").getAsInt()
                            >= round) {
                        return;
                    }
                } catch (RuntimeException e) {
                    // being replaced: read it again
                }
            }
            if (System.currentTimeMillis() > deadline || !coordinator.process().isAlive()) {
                throw new AssertionError("round " + round + " was not checkpointed in " + run);
            }
            Thread.sleep(100);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The address the coordinator says it listens on (it picks a free port). */
    private static String listeningAddress(Started coordinator) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            for (String line : Files.readAllLines(coordinator.err())) {
                int at = line.indexOf("listens on [/");
                if (at >= 0) {
                    return line.substring(at + "listens on [/".length(), line.indexOf(']', at));
                }
            }
            if (!coordinator.process().isAlive()) {
                throw new AssertionError("the coordinator ended: " + coordinator.result());
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the coordinator did not say where it listens: " + coordinator.result());
    }
}
