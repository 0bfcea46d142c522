package org.fedklpr.shell.site;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.Names;
import org.fedklpr.api.command.PlatformCommand;
import org.fedklpr.api.data.DatasetProvider;
import org.fedklpr.api.data.ReidDataset;
import org.fedklpr.api.data.ReidImage;
import org.fedklpr.api.engine.LearningEngine;
import org.fedklpr.api.eval.FeatureSet;
import org.fedklpr.api.eval.RankedList;
import org.fedklpr.api.eval.ReidEvaluator;
import org.fedklpr.api.eval.ReidMetrics;
import org.fedklpr.files.ExportedModel;
import org.fedklpr.files.RunFolders;
import org.fedklpr.named.NamedServices;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * {@code fedklpr visrank RUN --client NAME [--top 10] [--queries 20]}: rank lists of a run's final
 * global model at one of its sites, as torchreid's visrank draws them. The site's query and gallery
 * are embedded as the run scored them and ranked by the run's evaluator; for {@code --queries}
 * queries spread evenly over the query set, one PNG each ({@link RankListPicture}), with
 * {@code index.html} (ranks, distances, names) and {@code rankings.json} beside them in
 * {@code RUN/visrank/NAME/}. Operands: the run, the site, top, queries.
 */
@Component(property = Names.SERVICE_NAME + "=visrank")
public final class VisrankCommand implements PlatformCommand {
    private static final String DEFAULT_EVALUATOR = "market1501";

    @Reference(target = ExtractCommand.ENGINE_FILTER)
    private LearningEngine engine;

    @Reference
    private RunFolders runs;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<Map.Entry<Map<String, Object>, DatasetProvider>> providers;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<Map.Entry<Map<String, Object>, ReidEvaluator>> evaluators;

    @Override
    public int run(List<String> arguments) {
        Path run = Path.of(arguments.get(0));
        String site = arguments.get(1);
        int top = Integer.parseInt(arguments.get(2));
        int wanted = Integer.parseInt(arguments.get(3));
        ExportedModel model = runs.model(run);
        RunFolders.SiteData data = runs.siteData(run, site);
        ReidDataset dataset = NamedServices.of("dataset format", providers).get(data.format()).load(data.folder());
        ModelFeatures.Embedded query;
        ModelFeatures.Embedded gallery;
        try (ModelFeatures features = new ModelFeatures(engine, model, run)) {
            query = features.embed(dataset.query(), site + "'s query images");
            gallery = features.embed(dataset.gallery(), site + "'s gallery images");
        }
        ReidEvaluator evaluator = NamedServices.of("evaluator", evaluators).get(evaluatorName(model));
        FeatureSet queryFeatures = featureSet(query);
        FeatureSet galleryFeatures = featureSet(gallery);
        ReidMetrics metrics = evaluator.evaluate(queryFeatures, galleryFeatures);
        int[] chosen = spread(queryFeatures.size(), wanted);
        List<RankedList> lists = evaluator.rankings(queryFeatures, galleryFeatures, chosen, top);

        Path out = run.resolve("visrank").resolve(site);
        List<String> pictures = write(out, lists, query.images(), gallery.images());
        ExportedModel.SiteScore logged = model.manifest().scores().get(site);
        JsonObject json = json(site, model, metrics, logged, lists, pictures, query.images(), gallery.images());
        try {
            Files.writeString(out.resolve("rankings.json"), new GsonBuilder().setPrettyPrinting().serializeNulls()
                    .create().toJson(json) + "\n", StandardCharsets.UTF_8);
            Files.writeString(out.resolve("index.html"), VisrankPage.html(json), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new FedklprException("cannot write the rank lists to " + out + ": " + e.getMessage(), e);
        }
        System.out.printf(Locale.ROOT, "visrank: %d rank lists of %s, round %d (Rank-1 %.1f %%, mAP %.1f %%; the run "
                + "logged %.1f %%, %.1f %%) in %s%n", lists.size(), site, model.manifest().round(), 100 * metrics.rank1(),
                100 * metrics.mAP(), logged == null ? Double.NaN : 100 * logged.rank1(),
                logged == null ? Double.NaN : 100 * logged.mAP(), out.resolve("index.html"));
        return 0;
    }

    /** The evaluator the run's sites used, as its settings name it. */
    private static String evaluatorName(ExportedModel model) {
        JsonObject settings = JsonParser.parseString(model.manifest().settingsJson()).getAsJsonObject();
        JsonObject client = settings.has("org.fedklpr.client") ? settings.getAsJsonObject("org.fedklpr.client") : null;
        return client != null && client.has("evaluator") ? client.get("evaluator").getAsString() : DEFAULT_EVALUATOR;
    }

    private static FeatureSet featureSet(ModelFeatures.Embedded embedded) {
        return new FeatureSet(embedded.features(), embedded.images().stream().mapToInt(ReidImage::personId).toArray(),
                embedded.images().stream().mapToInt(ReidImage::camera).toArray());
    }

    /** {@code wanted} of {@code size} indices, evenly spread and increasing (all of them when there are fewer). */
    static int[] spread(int size, int wanted) {
        int count = Math.min(size, wanted);
        int[] chosen = new int[count];
        for (int i = 0; i < count; i++) {
            chosen[i] = (int) ((long) i * size / count);
        }
        return chosen;
    }

    /** The pictures, one per list, replacing those of an earlier call; their file names, in order. */
    private static List<String> write(Path out, List<RankedList> lists, List<ReidImage> query, List<ReidImage> gallery) {
        List<String> names = new ArrayList<>();
        try {
            Files.createDirectories(out);
            try (Stream<Path> old = Files.list(out)) {
                for (Path file : old.filter(f -> f.getFileName().toString().endsWith(".png")).toList()) {
                    Files.delete(file);
                }
            }
            for (RankedList list : lists) {
                Path queryFile = query.get(list.query()).path();
                String stem = queryFile.getFileName().toString().replaceAll("\\.[^.]*$", "");
                String name = String.format(Locale.ROOT, "q%04d_%s.png", list.query(), stem);
                List<Path> entries = list.entries().stream().map(entry -> gallery.get(entry.gallery()).path()).toList();
                if (!ImageIO.write(RankListPicture.draw(queryFile, list, entries), "png", out.resolve(name).toFile())) {
                    throw new IllegalStateException("the JDK has no PNG writer");
                }
                names.add(name);
            }
        } catch (IOException e) {
            throw new FedklprException("cannot write the rank lists to " + out + ": " + e.getMessage(), e);
        }
        return names;
    }

    private static JsonObject json(String site, ExportedModel model, ReidMetrics metrics, ExportedModel.SiteScore logged,
            List<RankedList> lists, List<String> pictures, List<ReidImage> query, List<ReidImage> gallery) {
        JsonObject json = new JsonObject();
        json.addProperty("site", site);
        json.addProperty("round", model.manifest().round());
        json.addProperty("run", model.manifest().run());
        json.addProperty("rank1", metrics.rank1());
        json.addProperty("mAP", metrics.mAP());
        // Strict JSON: a site that scored nothing in the run has null, not NaN.
        finiteOrNull(json, "logged_rank1", logged == null ? Double.NaN : logged.rank1());
        finiteOrNull(json, "logged_mAP", logged == null ? Double.NaN : logged.mAP());
        json.addProperty("queries_in_site", query.size());
        json.addProperty("gallery_in_site", gallery.size());
        JsonArray rows = new JsonArray();
        for (int i = 0; i < lists.size(); i++) {
            RankedList list = lists.get(i);
            ReidImage image = query.get(list.query());
            JsonObject row = new JsonObject();
            row.addProperty("picture", pictures.get(i));
            row.addProperty("query", list.query());
            row.addProperty("path", image.path().toString());
            row.addProperty("person", image.personId());
            row.addProperty("camera", image.camera());
            row.addProperty("first_match_rank", list.firstMatchRank());
            JsonArray entries = new JsonArray();
            for (RankedList.Entry entry : list.entries()) {
                ReidImage shown = gallery.get(entry.gallery());
                JsonObject item = new JsonObject();
                item.addProperty("rank", entry.rank());
                item.addProperty("verdict", entry.verdict().name().toLowerCase(Locale.ROOT));
                item.addProperty("distance", entry.distance());
                item.addProperty("path", shown.path().toString());
                item.addProperty("person", shown.personId());
                item.addProperty("camera", shown.camera());
                entries.add(item);
            }
            row.add("entries", entries);
            rows.add(row);
        }
        json.add("queries", rows);
        return json;
    }

    private static void finiteOrNull(JsonObject json, String key, double value) {
        if (Double.isFinite(value)) {
            json.addProperty(key, value);
        } else {
            json.add(key, com.google.gson.JsonNull.INSTANCE);
        }
    }
}
