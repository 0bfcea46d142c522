package org.fedklpr.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
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

        List<Started> sites = new ArrayList<>();
        for (String site : List.of("client-1", "client-2")) {
            sites.add(fedklpr.start("site", Fedklpr.HOME.resolve("features/site.json").toString(), "--coordinator",
                    listening, "--name", site, "--data", work.resolve("data/" + site).toString(), "--state",
                    work.resolve("state/" + site).toString(), "--token-file", credentials.resolve(site + ".token")
                            .toString(), "--trust", credentials.resolve("ca.pem").toString()));
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
