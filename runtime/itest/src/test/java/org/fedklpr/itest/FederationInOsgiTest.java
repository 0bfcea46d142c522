package org.fedklpr.itest;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.fedklpr.itest.OsgiRuntime.COORDINATOR;
import static org.fedklpr.itest.OsgiRuntime.SEED;
import static org.fedklpr.itest.OsgiRuntime.WORLD;
import static org.fedklpr.itest.OsgiRuntime.coordinatorSettings;
import static org.fedklpr.itest.OsgiRuntime.metrics;
import static org.fedklpr.itest.OsgiRuntime.tinyWorld;
import static org.fedklpr.itest.OsgiRuntime.with;
import static org.fedklpr.itest.OsgiRuntime.withoutTimes;
import static org.fedklpr.itest.OsgiRuntime.work;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.data.DatasetGenerator;
import org.fedklpr.api.experiment.ExperimentRunner;
import org.fedklpr.api.experiment.ExperimentSummary;
import org.fedklpr.api.experiment.RoundListener;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The real bundles of features/demo.json in Felix: experiments run end to end, the aggregator is
 * swapped between rounds (Config Admin, then the Gogo command after a third-party bundle is
 * installed at run time), and learning beats both round 0 and chance.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FederationInOsgiTest {
    private static final String CLIENT = "org.fedklpr.client";
    private static final String CRR = "org.fedklpr.prune.crr";
    private static final Pattern MARKET_NAME = Pattern.compile("(-1|\\d{4})_c(\\d+)s\\d+_\\d+_\\d+\\.jpg");

    @Inject
    private BundleContext context;

    @Inject
    private ExperimentRunner runner;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    private OsgiRuntime osgi;

    @Before
    public void connect() {
        osgi = new OsgiRuntime(context, configurationAdmin);
    }

    @Configuration
    public Option[] configuration() {
        return FeatureOptions.of("features/demo.json");
    }

    @Test
    public void twoClientsSwapAggregatorsBetweenRoundsAndSkipABadImage() throws Exception {
        Path work = work("swap");
        Map<String, Object> world = tinyWorld(2, new int[] {6, 5}, new int[] {4});
        osgi.configure(WORLD, world);
        Map<String, Object> coordinator = coordinatorSettings(work.resolve("data"), 3);
        coordinator.put("labelSpace", "shared"); // FedAvg averages whole models: one label space
        osgi.configure(COORDINATOR, coordinator);

        // One training image of client-1 is corrupt: the client trains on the others and counts it.
        DatasetGenerator generator = osgi.syntheticGenerator();
        List<Path> folders = generator.generate(work.resolve("data"), SEED);
        Path victim;
        try (Stream<Path> files = Files.list(folders.get(0).resolve("bounding_box_train"))) {
            victim = files.sorted().findFirst().orElseThrow();
        }
        Files.write(victim, new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3});

        Path median = Path.of(System.getProperty("fedklpr.home", "../..")).resolve("examples/aggregate-median/target/aggregate-median-0.1.0.jar");
        assertTrue("build the example bundle first: " + median, Files.exists(median));
        List<String> seen = new ArrayList<>();
        RoundListener swapper = record -> {
            seen.add(record.round() + ":" + record.plan().aggregator());
            try {
                if (record.round() == 1) {
                    // The path an operator's edit takes: Config Admin.
                    osgi.configure(COORDINATOR, with(coordinator, "aggregator", "fedavg"));
                } else if (record.round() == 2) {
                    // A third party's bundle arrives while the experiment runs, then the Gogo command selects it.
                    Bundle bundle = context.installBundle(median.toUri().toString());
                    bundle.start();
                    Object commands = osgi.awaitService("(osgi.command.scope=fedklpr)");
                    Method aggregator = commands.getClass().getMethod("aggregator", String.class);
                    long deadline = System.currentTimeMillis() + 5000;
                    while (true) {
                        try {
                            aggregator.invoke(commands, "median");
                            break;
                        } catch (InvocationTargetException e) {
                            if (System.currentTimeMillis() > deadline) {
                                throw e;
                            }
                            Thread.sleep(20);
                        }
                    }
                    osgi.awaitCoordinatorProperty("aggregator", "median");
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        ServiceRegistration<RoundListener> registration = context.registerService(RoundListener.class, swapper, null);
        ExperimentSummary summary;
        try {
            summary = runner.run(work.resolve("run"));
        } finally {
            registration.unregister();
        }
        assertEquals(List.of("0:none", "1:fedpav", "2:fedavg", "3:median"), seen);

        List<JsonObject> rows = metrics(work.resolve("run"));
        assertEquals("2 clients x rounds 0..3", 8, rows.size());
        for (JsonObject row : rows) {
            for (String metric : List.of("rank1", "rank5", "rank10", "mAP", "seconds")) {
                double value = row.get(metric).getAsDouble();
                assertTrue(metric + " of " + row, Double.isFinite(value) && value >= 0);
            }
            if (row.get("round").getAsInt() > 0) {
                assertTrue("loss of " + row, Double.isFinite(row.get("loss").getAsDouble()));
                assertEquals("trained", row.get("status").getAsString());
                assertTrue(row.get("bytes_up").getAsLong() > 0 && row.get("bytes_down").getAsLong() > 0);
            }
        }
        String[] aggregators = rows.stream().map(r -> r.get("aggregator").getAsString()).toArray(String[]::new);
        assertArrayEquals(new String[] {"none", "none", "fedpav", "fedpav", "fedavg", "fedavg", "median", "median"},
                aggregators);
        // FedAvg also sends the shared identity head; FedPav and the median keep heads local.
        long fedpavUp = rows.get(2).get("bytes_up").getAsLong();
        long fedavgUp = rows.get(4).get("bytes_up").getAsLong();
        assertTrue(fedavgUp + " > " + fedpavUp, fedavgUp > fedpavUp);
        assertEquals(fedpavUp, rows.get(6).get("bytes_up").getAsLong());
        assertEquals(summary.bytesUp(), rows.stream().mapToLong(r -> r.get("bytes_up").getAsLong()).sum());

        JsonObject written = JsonParser.parseString(Files.readString(work.resolve("run/summary.json")))
                .getAsJsonObject();
        assertEquals(1, written.getAsJsonArray("clients").get(0).getAsJsonObject().get("skippedFiles").getAsInt());
        assertNotNull(JsonParser.parseString(Files.readString(work.resolve("run/config.json"))));
    }

    @Test
    public void hotSwapsFedPavToFedKlprBetweenRounds() throws Exception {
        Path work = work("fedklpr");
        osgi.configure(WORLD, tinyWorld(2, new int[] {8, 6}, new int[] {4}));
        Map<String, Object> coordinator = coordinatorSettings(work.resolve("data"), 4);
        osgi.configure(COORDINATOR, coordinator);
        Map<String, Object> fedklpr = with(with(with(coordinator, "aggregator", "klpwa"), "objectives",
                new String[] {"identity-ce", "kll"}), "pruner", "magnitude");
        RoundListener swapper = record -> {
            if (record.round() == 1) {
                try {
                    osgi.configure(COORDINATOR, fedklpr);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        ServiceRegistration<RoundListener> registration = context.registerService(RoundListener.class, swapper, null);
        try {
            runner.run(work.resolve("run"));
        } finally {
            registration.unregister();
        }
        List<JsonObject> rows = metrics(work.resolve("run"));
        JsonObject fedpav = rows.get(2);
        assertEquals("fedpav", fedpav.get("aggregator").getAsString());
        // A site computes what the aggregator weighs clients by, and nothing else: FedPav needs no klaw.
        assertTrue(fedpav + "", !fedpav.has("pruning_ratio") && !fedpav.has("klaw") && !fedpav.has("cdw"));
        // CRR defaults: one warm-up round, then 20 %, then steps of 10 %.
        double[] expectedRatios = {0.0, 0.2, 0.3};
        for (int round = 2; round <= 4; round++) {
            for (int client = 0; client < 2; client++) {
                JsonObject row = rows.get(2 * round + client);
                assertEquals(round, row.get("round").getAsInt());
                assertEquals("klpwa", row.get("aggregator").getAsString());
                String action = row.get("crr_action").getAsString();
                assertTrue(row + "", List.of("warmup", "start", "step", "recover", "hold").contains(action));
                assertTrue(row + "", row.has("weight") && row.has("loss.kll") && row.has("probe_accuracy")
                        && row.has("klaw") && !row.has("cdw"));
                if (!"recover".equals(action) && !"hold".equals(action)) {
                    assertEquals(row + "", expectedRatios[round - 2], row.get("pruning_ratio").getAsDouble(), 1e-9);
                }
            }
        }
        // Pruned updates travel sparse: about (1 - ratio) of the dense values plus a bitmap.
        long denseUp = fedpav.get("bytes_up").getAsLong();
        JsonObject third = rows.get(2 * 4);
        double ratio = third.get("pruning_ratio").getAsDouble();
        double shareUp = (double) third.get("bytes_up").getAsLong() / denseUp;
        assertTrue("uplink share " + shareUp + " at ratio " + ratio, shareUp < 1 - ratio + 0.08);
        assertTrue("the downlink carries what the client's last mask kept",
                third.get("bytes_down").getAsLong() < 0.9 * fedpav.get("bytes_down").getAsLong());
    }

    @Test
    public void aResumedPruningRunSendsAndScoresWhatTheUninterruptedOneDid() throws Exception {
        Path work = work("resume");
        osgi.configure(WORLD, tinyWorld(2, new int[] {8, 6}, new int[] {4}));
        Map<String, Object> fedklpr = with(with(with(coordinatorSettings(work.resolve("data"), 4), "aggregator",
                "klpwa"), "objectives", new String[] {"identity-ce", "kll"}), "pruner", "magnitude");
        osgi.configure(COORDINATOR, fedklpr);
        runner.run(work.resolve("whole"));
        // Stop after round 3 (rounds are not part of an experiment's identity), then ask for 4.
        osgi.configure(COORDINATOR, with(fedklpr, "rounds", 3));
        runner.run(work.resolve("resumed"));
        osgi.configure(COORDINATOR, fedklpr);
        ExperimentSummary resumed = runner.run(work.resolve("resumed"));
        assertEquals(3, resumed.resumedFromRound());

        List<JsonObject> whole = metrics(work.resolve("whole"));
        List<JsonObject> again = metrics(work.resolve("resumed"));
        assertEquals(whole.size(), again.size());
        for (int row = 2 * 4; row < whole.size(); row++) {
            // Round 4's downlink to each client holds what its round-3 mask kept, before and after the resume.
            for (String key : List.of("round", "client", "bytes_down", "bytes_up", "pruning_ratio", "rank1", "mAP")) {
                assertEquals(key + " in " + again.get(row), whole.get(row).get(key), again.get(row).get(key));
            }
        }
        assertTrue(whole.get(2 * 4).get("bytes_down").getAsLong() < 0.9 * whole.get(2).get("bytes_down").getAsLong());

        // Asked again once finished (what compare does with a run it already has): nothing runs, and
        // the summary keeps round 4's scores (it used to fall back to round 0's).
        ExperimentSummary finished = runner.run(work.resolve("resumed"));
        assertEquals(4, finished.resumedFromRound());
        assertEquals(resumed.finalRank1(), finished.finalRank1(), 0);
        assertEquals(resumed.finalMAP(), finished.finalMAP(), 0);
        assertEquals(resumed.bytesUp(), finished.bytesUp());
        JsonObject summary = JsonParser.parseString(Files.readString(work.resolve("resumed").resolve("summary.json")))
                .getAsJsonObject();
        assertEquals(2, summary.getAsJsonArray("final_clients").size());
    }

    @Test
    public void clientsSharingOneNetworkScoreAndSendExactlyWhatClientsWithOneEachDo() throws Exception {
        Path work = work("pooled");
        // Three heads of different sizes, so the one live network is rebuilt as well as handed over.
        osgi.configure(WORLD, tinyWorld(3, new int[] {8, 6, 5}, new int[] {4}));
        osgi.configure(CRR, Map.of("warmupRounds", 0, "initialRatio", 0.3, "targetRatio", 0.6));
        Map<String, Object> fedklpr = with(with(with(coordinatorSettings(work.resolve("data"), 3), "aggregator",
                "klpwa"), "objectives", new String[] {"identity-ce", "kll"}), "pruner", "magnitude");
        Map<String, Object> topK = with(coordinatorSettings(work.resolve("data"), 3), "updateCompression", "topk");
        try {
            for (Map.Entry<String, Map<String, Object>> experiment : Map.of("fedklpr", fedklpr, "topk", topK)
                    .entrySet()) {
                osgi.configure(COORDINATOR, experiment.getValue());
                osgi.configure(CLIENT, Map.of("liveNetworks", 0));
                runner.run(work.resolve(experiment.getKey() + "-own"));
                osgi.configure(CLIENT, Map.of("liveNetworks", 1, "parkedState", "memory"));
                runner.run(work.resolve(experiment.getKey() + "-memory"));
                osgi.configure(CLIENT, Map.of("liveNetworks", 1, "parkedState", "disk"));
                runner.run(work.resolve(experiment.getKey() + "-disk"));
                List<JsonObject> own = metrics(work.resolve(experiment.getKey() + "-own"));
                for (String pooled : List.of("-memory", "-disk")) {
                    List<JsonObject> rows = metrics(work.resolve(experiment.getKey() + pooled));
                    assertEquals(own.size(), rows.size());
                    for (int row = 0; row < own.size(); row++) {
                        JsonObject expected = withoutTimes(own.get(row));
                        assertEquals(experiment.getKey() + pooled + " row " + row, expected,
                                withoutTimes(rows.get(row)));
                    }
                }
                assertTrue(own.get(own.size() - 1).toString().contains(experiment.getKey().equals("topk")
                        ? "sent_fraction" : "pruning_ratio"));
            }
        } finally {
            osgi.configure(CLIENT, Map.of());
            osgi.configure(CRR, Map.of());
        }
    }

    @Test
    public void learningBeatsRoundZeroAndChance() throws Exception {
        Path work = work("learning");
        osgi.configure(WORLD, tinyWorld(3, new int[] {32, 24, 16}, new int[] {16}));
        Map<String, Object> coordinator = coordinatorSettings(work.resolve("data"), 8);
        coordinator.put("localEpochs", 2);
        osgi.configure(COORDINATOR, coordinator);
        ExperimentSummary summary = runner.run(work.resolve("run"));
        double chance = chanceRank1(work.resolve("data"));
        String numbers = String.format("Rank-1 %.3f -> %.3f (chance %.3f), mAP %.3f -> %.3f",
                summary.initialRank1(), summary.finalRank1(), chance, summary.initialMAP(), summary.finalMAP());
        System.out.println("learning: " + numbers);
        assertTrue(numbers, summary.finalRank1() >= summary.initialRank1() + 0.06);
        assertTrue(numbers, summary.finalMAP() >= summary.initialMAP() + 0.08);
        assertTrue(numbers, summary.finalRank1() >= 2 * chance);
    }

    @Test
    public void anUnknownAggregatorIsNamedWithTheAvailableOnes() throws Exception {
        Path work = work("unknown");
        Map<String, Object> coordinator = coordinatorSettings(work.resolve("data"), 1);
        coordinator.put("aggregator", "fedpaw");
        osgi.configure(COORDINATOR, coordinator);
        try {
            runner.run(work.resolve("run"));
            fail("an unknown aggregator must stop the experiment");
        } catch (FedklprException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("'fedpaw'") && e.getMessage().contains("fedavg")
                    && e.getMessage().contains("fedpav"));
        }
    }

    @Test
    public void anEmptyDataRootIsNamed() throws Exception {
        Path work = work("empty");
        Files.createDirectories(work.resolve("data"));
        Map<String, Object> coordinator = coordinatorSettings(work.resolve("data"), 1);
        coordinator.put("generator", "");
        osgi.configure(COORDINATOR, coordinator);
        try {
            runner.run(work.resolve("run"));
            fail("an empty data root must stop the experiment");
        } catch (FedklprException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(work.resolve("data").toString())
                    && e.getMessage().contains("no client folders"));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    public void commandLineInspectsADatasetAndScoresFeaturesFromFiles() throws Exception {
        Path work = work("tools");
        osgi.configure(WORLD, tinyWorld(1, new int[] {6}, new int[] {4}));
        DatasetGenerator generator = osgi.syntheticGenerator();
        Path folder = generator.generate(work.resolve("data"), SEED).get(0);
        Files.writeString(folder.resolve("query/Thumbs.db"), "not an image");
        java.util.function.Function<String[], Integer> main = (java.util.function.Function<String[], Integer>) osgi.awaitService(
                "(fedklpr.main=true)");

        JsonObject inspected = JsonParser.parseString(captured(main, "datasets-inspect", folder.toString()))
                .getAsJsonObject();
        assertEquals("market1501", inspected.get("format").getAsString());
        assertEquals(6, inspected.getAsJsonObject("train").get("identities").getAsInt());
        assertEquals(4, inspected.getAsJsonObject("gallery").get("identities").getAsInt());
        assertEquals(3, inspected.getAsJsonObject("gallery").get("distractors").getAsInt());
        assertEquals(1, inspected.getAsJsonObject("query").get("skipped").getAsInt());

        // person 1 finds its match first, person 2 second (behind a distractor); person 3 has only a
        // same-camera entry, so it is not scored
        Path query = Files.writeString(work.resolve("q.csv"), "1,1,0,0\n2,1,10,0\n3,1,20,0\n");
        Path gallery = Files.writeString(work.resolve("g.csv"),
                "1,2,0.1,0\n0,2,10.1,0\n2,2,10.2,0\n3,1,20,0.1\n-1,2,0,0.05\n");
        JsonObject scores = JsonParser.parseString(captured(main, "evaluate", query.toString(), gallery.toString()))
                .getAsJsonObject();
        assertEquals(2, scores.get("queries").getAsInt());
        assertEquals(0.5, scores.get("rank1").getAsDouble(), 1e-9);
        assertEquals(1.0, scores.get("rank5").getAsDouble(), 1e-9);
        assertEquals((1.0 + 0.5) / 2, scores.get("mAP").getAsDouble(), 1e-9);
        // official AP of person 2: (precision before its rank, 0/1, + precision at it, 1/2) / 2
        assertEquals((1.0 + (0.0 + 0.5) / 2) / 2, scores.get("mAP_official").getAsDouble(), 1e-9);
    }

    @Test
    @SuppressWarnings("unchecked")
    public void compareRunsEveryConfigurationOnTheSameSeedsAndJudgesTheSubject() throws Exception {
        Path work = work("compare");
        osgi.configure(WORLD, tinyWorld(2, new int[] {8, 6}, new int[] {4}));
        // What the launcher does with --set org.fedklpr.coordinator:objectives=identity-ce: into the
        // runtime's configuration, and named to compare so that it wins over the plan's KLL below.
        Map<String, Object> coordinator = coordinatorSettings(work.resolve("data"), 2);
        coordinator.put("objectives", new String[] {"identity-ce"});
        osgi.configure(COORDINATOR, coordinator);
        String plan = """
                {"subject": "Pruned", "baselines": ["Dense"], "savingTarget": 0.2, "rank1Tolerance": 1.0,
                 "configurations": [
                   {"name": "Dense", "settings": {"org.fedklpr.coordinator": {"aggregator": "fedpav"}}},
                   {"name": "Pruned", "settings": {
                     "org.fedklpr.coordinator": {"aggregator": "klpwa", "objectives": ["identity-ce", "kll"],
                                                 "pruner": "magnitude"},
                     "org.fedklpr.prune.crr": {"warmupRounds": 0, "initialRatio": 0.6, "targetRatio": 0.6}}}]}
                """;
        java.util.function.Function<String[], Integer> main =
                (java.util.function.Function<String[], Integer>) osgi.awaitService("(fedklpr.main=true)");
        Path out = work.resolve("comparison");
        String printed = captured(main, "compare", out.toString(), plan, "*", "2",
                "org.fedklpr.coordinator:objectives=identity-ce");

        JsonObject report = JsonParser.parseString(Files.readString(out.resolve("comparison.json"))).getAsJsonObject();
        JsonObject dense = report.getAsJsonArray("configurations").get(0).getAsJsonObject();
        JsonObject pruned = report.getAsJsonArray("configurations").get(1).getAsJsonObject();
        assertEquals(2, dense.getAsJsonArray("runs").size());
        assertEquals(2, pruned.getAsJsonArray("runs").size());
        // Cut to 60 % from round 1: about 40 % of the values travel, plus bitmaps.
        double saving = pruned.get("saving_vs_Dense").getAsDouble();
        assertTrue("saving " + saving, saving > 0.3 && saving < 0.6);
        assertEquals(2, report.getAsJsonObject("rank1_difference").getAsJsonArray("rank1_points_by_seed").size());
        String verdict = report.get("verdict").getAsString();
        assertTrue(verdict, verdict.contains("Seed by seed, Pruned − Dense Rank-1") && verdict.endsWith(
                "All targets met."));
        assertTrue(printed, printed.contains("| Pruned |"));
        assertTrue(Files.exists(out.resolve("rank1_vs_mb.svg")));
        // The pages a person opens: the comparison's, linking each run's own, written by the report bundle.
        String page = Files.readString(out.resolve("report.html"));
        assertTrue(page.substring(0, Math.min(400, page.length())), page.contains("Final Rank-1 against total traffic")
                && page.contains("Verdict."));
        String runPage = Files.readString(out.resolve("Pruned").resolve("seed-" + SEED).resolve("report.html"));
        assertTrue(runPage.contains("Pruning ratio by round") && runPage.contains("finished after round 2"));
        String prunedRun = Files.readString(out.resolve("Pruned").resolve("seed-" + SEED).resolve("config.json"));
        assertTrue(prunedRun, prunedRun.contains("\"pruner\": \"magnitude\"") && !prunedRun.contains("\"kll\""));
        assertEquals("org.fedklpr.coordinator:objectives=identity-ce",
                report.getAsJsonArray("command_line").get(0).getAsString());
        // Each seed is its own world, written once beside the configured data root.
        assertTrue(Files.isDirectory(work.resolve("data-seed" + (SEED + 1))));
    }

    /** Runs the command-line entry and returns what it printed, failing on a non-zero exit code. */
    private static String captured(java.util.function.Function<String[], Integer> main, String... arguments) {
        java.io.PrintStream original = System.out;
        java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new java.io.PrintStream(buffer, true, StandardCharsets.UTF_8));
            code = main.apply(arguments);
        } finally {
            System.setOut(original);
        }
        String output = buffer.toString(StandardCharsets.UTF_8);
        assertEquals(String.join(" ", arguments) + " printed: " + output, 0, code);
        return output;
    }

    /**
     * Expected Rank-1 of a random ranking, from the files on disk: per query, the share of valid
     * gallery entries (not junk, not same person and camera) that match, averaged over the clients'
     * queries that have a match.
     */
    private static double chanceRank1(Path data) throws IOException {
        double sum = 0;
        int queries = 0;
        List<Path> clients;
        try (Stream<Path> entries = Files.list(data)) {
            clients = entries.filter(Files::isDirectory).sorted().toList();
        }
        for (Path client : clients) {
            List<int[]> gallery = labels(client.resolve("bounding_box_test"));
            for (int[] query : labels(client.resolve("query"))) {
                int valid = 0;
                int matches = 0;
                for (int[] entry : gallery) {
                    if (entry[0] == -1 || (entry[0] == query[0] && entry[1] == query[1])) {
                        continue;
                    }
                    valid++;
                    matches += entry[0] == query[0] ? 1 : 0;
                }
                if (matches > 0) {
                    sum += (double) matches / valid;
                    queries++;
                }
            }
        }
        return sum / queries;
    }

    private static List<int[]> labels(Path folder) throws IOException {
        List<int[]> labels = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.toList()) {
                Matcher m = MARKET_NAME.matcher(file.getFileName().toString());
                if (m.matches()) {
                    labels.add(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))});
                }
            }
        }
        return labels;
    }

}
