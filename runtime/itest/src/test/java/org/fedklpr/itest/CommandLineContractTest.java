package org.fedklpr.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import javax.imageio.ImageIO;

import org.fedklpr.itest.Fedklpr.Result;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

/**
 * The command line as a user meets it: the real {@code fedklpr} script, one JVM per command, exit
 * codes and messages asserted. A tiny feature (two synthetic sites, one round of a tiny CNN) keeps
 * each run to seconds.
 */
class CommandLineContractTest {
    private static final Path HOME = Fedklpr.HOME;
    private static final String COORDINATOR = Fedklpr.COORDINATOR;

    @TempDir
    static Path work;
    private static Path feature;
    private static Fedklpr fedklpr;

    @BeforeAll
    static void writeTheTinyFeature() throws IOException {
        fedklpr = new Fedklpr(work);
        feature = fedklpr.tinyFeature();
    }

    private static Result fedklpr(String... arguments) throws IOException, InterruptedException {
        return fedklpr.run(arguments);
    }

    /** A refused command: exit 2, nothing ran, no stack trace, and a line that says all of {@code named}. */
    private static void refused(Result result, String... named) {
        assertEquals(2, result.code(), result.toString());
        assertNoStackTrace(result);
        assertTrue(result.err().lines().anyMatch(line -> line.startsWith("fedklpr: error: ")
                && Arrays.stream(named).allMatch(line::contains)), "a line naming " + List.of(named) + " in " + result);
    }

    private static void assertNoStackTrace(Result result) {
        assertFalse(result.err().contains("\tat ") || result.out().contains("\tat "), result.toString());
    }

    @Test
    void everyBadSettingIsRefusedBeforeAnythingRunsNamingItsKey() throws Exception {
        String[][] table = {
            // --set value, what the line must say
            {COORDINATOR + ":aggregater=fedavg", "org.fedklpr.coordinator:aggregater=fedavg", "did you mean aggregator?"},
            {COORDINATOR + ":learningRate=abc", "learningRate=abc", "expected a finite number (Double)"},
            {COORDINATOR + ":learningRate=NaN", "learningRate=NaN", "expected a finite number (Double)"},
            {COORDINATOR + ":batchSize=1", "batchSize=1", "≥ 2"},
            {COORDINATOR + ":optimizer=adamw", "optimizer=adamw", "expected one of sgd, adam"},
            {"org.fedklpr.nosuch:x=1", "org.fedklpr.nosuch", "no installed bundle declares"},
            {COORDINATOR + ":aggregator=fedpaw", "org.fedklpr.coordinator:aggregator=fedpaw", "fedavg"},
            // Names the sites use are checked before round 0 too, not when a client first trains.
            {COORDINATOR + ":objectives=identity-ce,kl", "objectives=identity-ce,kl", "no objective named 'kl'", "kll"},
            {COORDINATOR + ":pruner=magnitud", "pruner=magnitud", "magnitude"},
            {COORDINATOR + ":pruningController=cr", "pruningController=cr", "pruning is off"},
            {COORDINATOR + ":pruningMask=coordinator", "pruningMask=coordinator", "pruning is off"},
            {"org.fedklpr.transport.inprocess:uplinkCodec=int9", "org.fedklpr.transport.inprocess:uplinkCodec=int9",
                "no wire codec named 'int9'", "int8"},
            {COORDINATOR + ":updateCompression=topc", "updateCompression=topc", "no update compression named 'topc'",
                "topk"},
        };
        for (String[] row : table) {
            Path out = work.resolve("never-" + Math.abs(row[0].hashCode()));
            Result result = fedklpr("run", feature.toString(), "--set", row[0], "--out", out.toString());
            refused(result, Arrays.copyOfRange(row, 1, row.length));
            assertFalse(Files.exists(out), "nothing ran, so no run folder: " + result);
        }
        // Two settings that both decide what travels.
        refused(fedklpr("run", feature.toString(), "--set", COORDINATOR + ":pruner=magnitude", "--set",
                COORDINATOR + ":updateCompression=topk"), "updateCompression=topk", "set one of pruner and "
                        + "updateCompression");
        // Unsupervised training never reads identity labels, so nothing may train on them; and its
        // pseudo-labeller is a service the sites must have.
        refused(fedklpr("run", feature.toString(), "--set", COORDINATOR + ":pseudoLabels=dbscan"),
                "objectives=identity-ce", "pseudoLabels=dbscan", "use capr");
        refused(fedklpr("run", feature.toString(), "--set", COORDINATOR + ":pseudoLabels=kmeans", "--set",
                COORDINATOR + ":objectives=kll"), "pseudoLabels=kmeans", "no pseudo-labeller named 'kmeans'", "dbscan",
                "(at the sites)");
        refused(fedklpr("run", feature.toString(), "--rounds", "abc"), "--rounds", "rounds=abc", "expected a whole number (Integer)");

        // In a feature file: a fraction where a whole number belongs, and a key no bundle declares.
        Path bad = Files.writeString(work.resolve("bad.json"), Files.readString(feature)
                .replace("\"rounds:Integer\":1", "\"rounds:Integer\":1.5")
                .replace("\"name\":\"tiny\",", "\"name\":\"tiny\",\"epochs:Integer\":2,"));
        Result fromFile = fedklpr("run", bad.toString());
        refused(fromFile, "bad.json", "org.fedklpr.coordinator:rounds=1.5", "expected a whole number (Integer)");
        refused(fromFile, "bad.json", "org.fedklpr.coordinator:epochs=2", "has no key 'epochs'",
                "did you mean localEpochs?");

        // A comparison plan's names are checked before its first run.
        refused(fedklpr("compare", HOME.resolve("features/benchmark-synth8.json").toString(), "--only", "FedPav,Nosuch",
                "--out", work.resolve("compare").toString()), "--only", "'Nosuch'", "FedKLPR");
    }

    @Test
    void everyCommandExplainsItselfAndAMissingValueIsNamed() throws Exception {
        for (String command : List.of("demo", "run", "compare", "shell", "evaluate", "datasets", "bench", "settings",
                "coordinator", "site", "credentials", "assemble", "pretrain", "export", "extract", "search", "visrank")) {
            Result help = fedklpr(command, "--help");
            assertEquals(0, help.code(), help.toString());
            assertTrue(help.out().startsWith("usage: fedklpr " + command) && help.out().contains("\nexample:\n"),
                    help.toString());
        }
        Result datasets = fedklpr("datasets", "inspect", "--help");
        assertEquals(0, datasets.code(), datasets.toString());
        assertTrue(fedklpr("evaluate", "-h").out().contains("pid -1 is junk"));
        refused(fedklpr("demo", "--out"), "option --out needs a value: DIR");
        refused(fedklpr("evaluate", "--query", "--gallery", "g.csv"), "option --query needs a value: FILE");
        refused(fedklpr("demo", "--seeds", "2"), "unknown option '--seeds'");

        Result settings = fedklpr("settings", COORDINATOR, "--feature", feature.toString());
        assertEquals(0, settings.code(), settings.toString());
        assertTrue(settings.out().contains("learningRate") && settings.out().contains("Double"), settings.toString());
    }

    @Test
    void aRunThatDivergesFailsNamingTheClientsAndStepAndItsLogsAreStrictJson() throws Exception {
        Path run = work.resolve("diverged");
        // Three steps, so that every client's weights run away (one step at this rate may still embed).
        Result result = fedklpr("run", feature.toString(), "--set", COORDINATOR + ":learningRate=1e9", "--set",
                COORDINATOR + ":localEpochs=3", "--out", run.toString());
        assertEquals(3, result.code(), result.toString());
        assertNoStackTrace(result);
        assertTrue(result.err().contains("fedklpr: the run failed: ") && result.err().contains("client-1")
                && result.err().contains("client-2") && result.err().contains("step"), result.toString());
        assertFalse(result.out().contains("Finished"), result.toString());

        JsonObject summary = strict(Files.readString(run.resolve("summary.json"))).get(0).getAsJsonObject();
        assertEquals("failed", summary.get("status").getAsString());
        assertTrue(summary.get("failure").getAsString().contains("client-1"), summary.toString());
        assertEquals(0, summary.get("rounds_completed").getAsInt());
        List<JsonElement> rows = strict(Files.readString(run.resolve("metrics.jsonl")));
        assertTrue(rows.size() >= 2, rows.toString());
        for (JsonElement row : rows) {
            JsonObject metrics = row.getAsJsonObject();
            if (metrics.get("round").getAsInt() == 1) {
                assertEquals("rejected", metrics.get("status").getAsString(), metrics.toString());
                assertTrue(metrics.get("loss").isJsonNull(), metrics.toString());
            }
        }
    }

    /** Parses JSON (one value, or one per line) with a parser that refuses NaN, Infinity and other leniencies. */
    private static List<JsonElement> strict(String text) throws IOException {
        List<JsonElement> values = new ArrayList<>();
        for (String line : text.strip().startsWith("{\n") ? List.of(text) : text.lines().toList()) {
            JsonReader reader = new JsonReader(new StringReader(line));
            reader.setStrictness(Strictness.STRICT);
            values.add(new Gson().getAdapter(JsonElement.class).read(reader));
            assertEquals(JsonToken.END_DOCUMENT, reader.peek(), line);
        }
        return values;
    }

    @Test
    void resumingIsHonestAndADamagedCheckpointIsNamed() throws Exception {
        Path run = work.resolve("resume");
        Result first = fedklpr("run", feature.toString(), "--out", run.toString());
        assertEquals(0, first.code(), first.toString());

        Result otherAggregator = fedklpr("run", feature.toString(), "--out", run.toString(), "--set",
                COORDINATOR + ":aggregator=cdw");
        refused(otherAggregator, run.toString(), "made with other settings");
        refused(otherAggregator, COORDINATOR + ":aggregator was 'fedpav', now 'cdw'");
        refused(fedklpr("run", feature.toString(), "--out", run.toString(), "--rounds", "0"), "rounds", "1");

        Result extended = fedklpr("run", feature.toString(), "--out", run.toString(), "--rounds", "2");
        assertEquals(0, extended.code(), extended.toString());
        JsonObject summary = strict(Files.readString(run.resolve("summary.json"))).get(0).getAsJsonObject();
        assertEquals("finished", summary.get("status").getAsString());
        assertEquals(2, summary.get("rounds_completed").getAsInt());
        assertEquals(2 * 3, Files.readAllLines(run.resolve("metrics.jsonl")).size(), "two clients, rounds 0 to 2");

        Path global = run.resolve("checkpoint/round-0002/global.fklw");
        byte[] bytes = Files.readAllBytes(global);
        Files.write(global, Arrays.copyOf(bytes, bytes.length / 2));
        refused(fedklpr("run", feature.toString(), "--out", run.toString(), "--rounds", "3"), global.toString(),
                "cannot be read");
    }

    @Test
    void datasetsInspectListsWhatTrainingWouldSkipAndEvaluateScoresPersonZero() throws Exception {
        Path market = work.resolve("market");
        for (String folder : List.of("bounding_box_train", "query", "bounding_box_test")) {
            Files.createDirectories(market.resolve(folder));
        }
        jpeg(market.resolve("bounding_box_train/0001_c1s1_000001_00.jpg"), 1);
        jpeg(market.resolve("bounding_box_train/0002_c2s1_000001_00.jpg"), 2);
        Path truncated = jpeg(market.resolve("bounding_box_train/0003_c1s1_000001_00.jpg"), 3);
        byte[] whole = Files.readAllBytes(truncated);
        Files.write(truncated, Arrays.copyOf(whole, whole.length * 2 / 3));
        jpeg(market.resolve("query/0001_c1s1_000002_00.jpg"), 1);
        jpeg(market.resolve("query/0005_c1s1_000002_00.jpg"), 5);
        jpeg(market.resolve("bounding_box_test/0001_c2s1_000003_00.jpg"), 1);
        jpeg(market.resolve("bounding_box_test/-1_c2s1_000003_00.jpg"), 4);

        Result inspected = fedklpr("datasets", "inspect", market.toString(), "--set",
                "org.fedklpr.engine.djl:decodeThreads=2");
        assertEquals(0, inspected.code(), inspected.toString());
        JsonObject json = strict(inspected.out()).get(0).getAsJsonObject();
        assertEquals(1, json.getAsJsonObject("train").get("skipped").getAsInt(), json.toString());
        String example = json.getAsJsonObject("skipped").getAsJsonArray("examples").get(0).getAsString();
        assertTrue(example.contains("0003_c1s1_000001_00.jpg") && example.contains("not a complete image"), example);
        assertEquals(1, json.getAsJsonObject("query").get("queries_without_match").getAsInt(), json.toString());

        // A gallery of junk only is named, not inspected as if it could be scored.
        Files.delete(market.resolve("bounding_box_test/0001_c2s1_000003_00.jpg"));
        refused(fedklpr("datasets", "inspect", market.toString()), "gallery", "only junk");

        // Person 0 is a person (as torchreid's eval_market1501 scores it); only -1 is junk. The same
        // points as the evaluator's hand-computed test: Rank-1 0, Rank-5 1, mAP (7/12 + 1/3) / 2.
        Path query = Files.writeString(work.resolve("q.csv"), "0,1,0\n3,1,10\n-1,2,0\n");
        Path gallery = Files.writeString(work.resolve("g.csv"), "0,1,0.1\n-1,2,0.2\n3,2,0.3\n0,2,0.4\n0,3,9.9\n3,1,10.2\n");
        Result scored = fedklpr("evaluate", "--query", query.toString(), "--gallery", gallery.toString());
        assertEquals(0, scored.code(), scored.toString());
        JsonObject scores = strict(scored.out()).get(0).getAsJsonObject();
        assertEquals(2, scores.get("queries").getAsInt());
        assertEquals(1, scores.get("queries_without_match").getAsInt());
        assertEquals(0.0, scores.get("rank1").getAsDouble(), 1e-9);
        assertEquals(1.0, scores.get("rank5").getAsDouble(), 1e-9);
        assertEquals((7.0 / 12 + 1.0 / 3) / 2, scores.get("mAP").getAsDouble(), 1e-6);

        // No query can be scored: an error, as in torchreid, not a Rank-1 of 0 %.
        Path strangers = Files.writeString(work.resolve("strangers.csv"), "7,1,0\n");
        refused(fedklpr("evaluate", "--query", strangers.toString(), "--gallery", gallery.toString()),
                "strangers.csv", "nothing to score");
    }

    /**
     * The trained model put to use: exported from a run (with flip fusion, the harder path), each site's
     * query and gallery folders extracted and scored with {@code evaluate}, which must give exactly the
     * Rank-1 and mAP the run logged for that site; {@code search} finds a query's own image first, and
     * the second search reads the gallery's features from the cache.
     */
    @Test
    void anExportedModelReproducesEverySitesScoresAndSearchFindsAQueryItself() throws Exception {
        Path run = work.resolve("exported");
        Result trained = fedklpr("run", feature.toString(), "--out", run.toString(), "--set",
                "org.fedklpr.client:flipFusion=true");
        assertEquals(0, trained.code(), trained.toString());
        assertTrue(Files.readString(run.resolve("report.html")).contains("Rank-1 by round"), "the run's page");
        Path model = work.resolve("models/tiny.npz");
        Result exported = fedklpr("export", run.toString(), "--out", model.toString());
        assertEquals(0, exported.code(), exported.toString());
        assertTrue(exported.out().contains("exported round 1 of"), exported.toString());

        List<JsonObject> finalRows = new ArrayList<>();
        for (JsonElement row : strict(Files.readString(run.resolve("metrics.jsonl")))) {
            if (row.getAsJsonObject().get("round").getAsInt() == 1) {
                finalRows.add(row.getAsJsonObject());
            }
        }
        assertEquals(2, finalRows.size());
        for (JsonObject row : finalRows) {
            Path site = fedklpr.data("tiny").resolve(row.get("client").getAsString());
            Path query = work.resolve(row.get("client").getAsString() + "-query.csv");
            Path gallery = work.resolve(row.get("client").getAsString() + "-gallery.csv");
            for (String[] split : new String[][] {{"query", query.toString()}, {"bounding_box_test",
                    gallery.toString()}}) {
                Result extracted = fedklpr("extract", "--model", model.toString(), "--images",
                        site.resolve(split[0]).toString(), "--out", split[1]);
                assertEquals(0, extracted.code(), extracted.toString());
            }
            Result scored = fedklpr("evaluate", "--query", query.toString(), "--gallery", gallery.toString());
            assertEquals(0, scored.code(), scored.toString());
            JsonObject scores = strict(scored.out()).get(0).getAsJsonObject();
            assertEquals(row.get("rank1").getAsDouble(), scores.get("rank1").getAsDouble(), 0.0, row.toString());
            assertEquals(row.get("mAP").getAsDouble(), scores.get("mAP").getAsDouble(), 0.0, row.toString());
        }

        Path galleryFolder = fedklpr.data("tiny").resolve("client-1/query");
        Path ownImage;
        try (var images = Files.list(galleryFolder)) {
            ownImage = images.sorted().skip(3).findFirst().orElseThrow();
        }
        for (String expected : List.of("computed and cached", "read from the cache")) {
            Result found = fedklpr("search", "--model", model.toString(), "--gallery", galleryFolder.toString(),
                    "--query", ownImage.toString(), "--top", "3");
            assertEquals(0, found.code(), found.toString());
            List<String> lines = found.out().lines().toList();
            assertTrue(lines.get(0).contains(expected), found.toString());
            assertEquals("rank  distance  image", lines.get(1));
            assertTrue(lines.get(2).startsWith("   1  ") && lines.get(2).endsWith(ownImage.toString()),
                    found.toString());
            assertEquals(5, lines.size(), "the header, the column names and three matches: " + found);
        }

        // Rank lists of every query of a site: the pictures, and marks that score as the run did.
        JsonObject site = finalRows.get(1);
        String client = site.get("client").getAsString();
        Result drawn = fedklpr("visrank", run.toString(), "--client", client, "--top", "4", "--queries", "1000");
        assertEquals(0, drawn.code(), drawn.toString());
        Path lists = run.resolve("visrank").resolve(client);
        JsonObject rankings = strict(Files.readString(lists.resolve("rankings.json"))).get(0).getAsJsonObject();
        int queries = rankings.get("queries_in_site").getAsInt();
        assertEquals(queries, rankings.getAsJsonArray("queries").size());
        try (var pictures = Files.list(lists)) {
            assertEquals(queries, pictures.filter(file -> file.toString().endsWith(".png")).count());
        }
        int scored = 0;
        int rightFirst = 0;
        for (JsonElement element : rankings.getAsJsonArray("queries")) {
            JsonObject query = element.getAsJsonObject();
            int firstMatch = query.get("first_match_rank").getAsInt();
            scored += firstMatch > 0 ? 1 : 0;
            rightFirst += firstMatch == 1 ? 1 : 0;
            int counted = 0;
            for (JsonElement entryElement : query.getAsJsonArray("entries")) {
                JsonObject entry = entryElement.getAsJsonObject();
                String verdict = entry.get("verdict").getAsString();
                boolean samePerson = entry.get("person").getAsInt() == query.get("person").getAsInt();
                boolean sameCamera = entry.get("camera").getAsInt() == query.get("camera").getAsInt();
                String expected = entry.get("person").getAsInt() == -1 ? "junk" : !samePerson ? "mismatch"
                        : sameCamera ? "same_camera" : "match";
                assertEquals(expected, verdict, entry.toString());
                counted += verdict.equals("match") || verdict.equals("mismatch") ? 1 : 0;
                if (verdict.equals("match") && firstMatch == entry.get("rank").getAsInt()) {
                    assertEquals(0, query.getAsJsonArray("entries").asList().stream().filter(e -> e.getAsJsonObject()
                            .get("verdict").getAsString().equals("match") && e.getAsJsonObject().get("rank").getAsInt()
                            < firstMatch).count(), "the first match shown is the first one");
                }
            }
            assertEquals(4, counted, query.toString());
        }
        assertEquals(site.get("rank1").getAsDouble(), (double) rightFirst / scored, 1e-12,
                "the marks give the Rank-1 the run logged for " + client);
        assertEquals(site.get("rank1").getAsDouble(), rankings.get("rank1").getAsDouble(), 0.0);
        assertTrue(Files.readString(lists.resolve("index.html")).contains("<img src=\"q0000_"), "the page shows them");
        refused(fedklpr("visrank", run.toString(), "--client", "client-9"), "no site 'client-9'", "client-1, client-2");

        refused(fedklpr("export", work.resolve("no-run").toString(), "--out", model.toString()), "run folder",
                "no-run", "does not exist");
        refused(fedklpr("export", work.toString(), "--out", model.toString()), "no completed round to export");
        refused(fedklpr("extract", "--model", model.toString(), "--images", galleryFolder.toString()), "needs --out");
        refused(fedklpr("search", "--model", run.resolve("metrics.jsonl").toString(), "--gallery",
                galleryFolder.toString(), "--query", ownImage.toString()), "metrics.jsonl", "NumPy .npz");
    }

    /**
     * {@code fedklpr pretrain} writes a backbone that the engine reads, caches it, and
     * {@code pretrainedWeights=public} starts a run from that very file without training again.
     */
    @Test
    void pretrainWritesTheBackboneThatPretrainedWeightsPublicStartsFrom() throws Exception {
        String[] small = {"--set", "org.fedklpr.pretrain:cache=" + work.resolve("pretrained"), "--set",
            "org.fedklpr.pretrain:epochs=1", "--set", "org.fedklpr.data.synthetic.public:trainIdentities=6", "--set",
            "org.fedklpr.data.synthetic.public:testIdentities=3", "--set",
            "org.fedklpr.data.synthetic.public:cameras=2"};
        Path copy = work.resolve("backbone.npz");
        List<String> pretrain = new ArrayList<>(List.of("pretrain", feature.toString(), "--out", copy.toString()));
        pretrain.addAll(List.of(small));
        Result made = fedklpr(pretrain.toArray(String[]::new));
        assertEquals(0, made.code(), made.toString());
        assertTrue(made.out().contains("pretrain: epoch 1/1") && made.out().contains("public test Rank-1"), made.toString());
        assertTrue(Files.size(copy) > 0, made.toString());

        List<String> fromPublic = new ArrayList<>(List.of("run", feature.toString(), "--out",
                work.resolve("from-public").toString(), "--set", COORDINATOR + ":pretrainedWeights=public"));
        fromPublic.addAll(List.of(small));
        Result cached = fedklpr(fromPublic.toArray(String[]::new));
        assertEquals(0, cached.code(), cached.toString());
        assertFalse(cached.err().contains("pretrain: epoch") || cached.out().contains("pretrain: epoch"),
                "made once: the run finds it in the cache\n" + cached);
        Result fromFile = fedklpr("run", feature.toString(), "--out", work.resolve("from-file").toString(), "--set",
                COORDINATOR + ":pretrainedWeights=" + copy);
        assertEquals(0, fromFile.code(), fromFile.toString());
        Result fromScratch = fedklpr("run", feature.toString(), "--out", work.resolve("from-scratch").toString());
        assertEquals(0, fromScratch.code(), fromScratch.toString());
        assertEquals(scores(work.resolve("from-file")), scores(work.resolve("from-public")));
        assertFalse(scores(work.resolve("from-scratch")).equals(scores(work.resolve("from-public"))),
                "the pretrained start is not the seeded one");
    }

    /** Every row's round, client, Rank-1 and mAP. */
    private static List<String> scores(Path run) throws IOException {
        return Files.readAllLines(run.resolve("metrics.jsonl")).stream().map(line -> {
            JsonObject row = com.google.gson.JsonParser.parseString(line).getAsJsonObject();
            return row.get("round") + " " + row.get("client") + " " + row.get("rank1") + " " + row.get("mAP");
        }).toList();
    }

    private static Path jpeg(Path file, int seed) throws IOException {
        BufferedImage image = new BufferedImage(32, 64, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        java.util.Random random = new java.util.Random(seed);
        for (int y = 0; y < 64; y += 4) {
            for (int x = 0; x < 32; x += 4) {
                graphics.setColor(new Color(random.nextInt(0xffffff)));
                graphics.fillRect(x, y, 4, 4);
            }
        }
        graphics.dispose();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", bytes);
        return Files.write(file, bytes.toByteArray());
    }

    static {
        // The test writes JPEGs with AWT; no display is needed or wanted.
        System.setProperty("java.awt.headless", "true");
    }
}
