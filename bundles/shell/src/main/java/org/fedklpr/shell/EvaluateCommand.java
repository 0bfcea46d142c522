package org.fedklpr.shell;

import java.nio.file.Path;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.eval.FeatureSet;
import org.fedklpr.api.eval.ReidEvaluator;
import org.fedklpr.api.eval.ReidMetrics;
import org.fedklpr.files.FeatureCsv;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;

/**
 * {@code fedklpr evaluate --query Q.csv --gallery G.csv}: scores features from any system under the
 * platform's protocol and returns one JSON object. {@code mAP} is the plain average precision
 * (what the platform reports everywhere); {@code mAP_official} the interpolated variant of the
 * official Market-1501 code.
 */
final class EvaluateCommand {
    private EvaluateCommand() {
    }

    static String run(ReidEvaluator evaluator, Path queryFile, Path galleryFile) {
        FeatureSet query = FeatureCsv.read(queryFile);
        FeatureSet gallery = FeatureCsv.read(galleryFile);
        if (query.dimension() != gallery.dimension()) {
            throw new FedklprException("the query features (" + queryFile + ") have " + query.dimension()
                    + " dimensions but the gallery features (" + galleryFile + ") have " + gallery.dimension());
        }
        long started = System.nanoTime();
        ReidMetrics metrics = evaluator.evaluate(query, gallery);
        double seconds = (System.nanoTime() - started) / 1e9;
        if (metrics.queries() == 0) {
            // torchreid's eval_market1501 stops here too: a score over no query would read as 0 %.
            throw new FedklprException("none of the " + metrics.queriesWithoutMatch() + " queries in " + queryFile
                    + " has a valid match in " + galleryFile + " (a gallery row of its person from another camera;"
                    + " pid -1 is junk): nothing to score");
        }
        JsonObject json = new JsonObject();
        json.addProperty("rank1", metrics.rank1());
        json.addProperty("rank5", metrics.rank5());
        json.addProperty("rank10", metrics.rank10());
        json.addProperty("mAP", metrics.mAP());
        json.addProperty("mAP_official", metrics.officialMAP());
        json.addProperty("queries", metrics.queries());
        json.addProperty("queries_without_match", metrics.queriesWithoutMatch());
        json.addProperty("gallery", gallery.size());
        json.addProperty("dimension", gallery.dimension());
        json.addProperty("seconds", Math.round(seconds * 1000) / 1000.0);
        return new GsonBuilder().setPrettyPrinting().create().toJson(json);
    }
}
