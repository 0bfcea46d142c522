package org.fedklpr.shell.site;

import java.util.Locale;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * The page beside the rank-list pictures: one row per query with its picture and, under it, every
 * entry's rank, verdict, distance and file. Self-contained (inline style, pictures by relative
 * name), so the folder can be opened or copied as it is.
 */
final class VisrankPage {
    private VisrankPage() {
    }

    static String html(JsonObject rankings) {
        StringBuilder page = new StringBuilder();
        String site = escape(rankings.get("site").getAsString());
        page.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Rank lists of ")
                .append(site).append("</title>\n<style>body{font-family:sans-serif;margin:1.5em;color:#222}")
                .append("table{border-collapse:collapse;font-size:12px;margin:.3em 0 1.5em}")
                .append("td,th{padding:1px 8px;text-align:left}.match{color:#2ca02c}.mismatch{color:#d62728}")
                .append(".junk,.same_camera{color:#999}</style></head><body>\n");
        page.append("<h1>Rank lists of ").append(site).append(", round ").append(rankings.get("round").getAsInt())
                .append("</h1>\n<p>").append(String.format(Locale.ROOT, "Rank-1 %.1f %%, mAP %.1f %% here; the run "
                        + "logged %.1f %%, %.1f %%.", 100 * number(rankings, "rank1"), 100 * number(rankings, "mAP"),
                        100 * number(rankings, "logged_rank1"), 100 * number(rankings, "logged_mAP")))
                .append(" Query framed blue; gallery nearest first: <span class=\"match\">green</span> a correct match,"
                        + " <span class=\"mismatch\">red</span> a wrong one, grey and struck through an entry the "
                        + "protocol leaves out (junk, or the query's person seen by its own camera).</p>\n");
        for (JsonElement element : rankings.getAsJsonArray("queries")) {
            JsonObject query = element.getAsJsonObject();
            int first = query.get("first_match_rank").getAsInt();
            page.append("<h2>").append(escape(fileName(query.get("path").getAsString()))).append(" — person ")
                    .append(query.get("person").getAsInt()).append(", camera ").append(query.get("camera").getAsInt())
                    .append(first > 0 ? ", first correct match at rank " + first : ", no valid match in the gallery")
                    .append("</h2>\n<img src=\"").append(escape(query.get("picture").getAsString()))
                    .append("\" alt=\"rank list\">\n<table><tr><th>rank</th><th>what</th><th>distance</th>"
                            + "<th>person</th><th>camera</th><th>image</th></tr>\n");
            for (JsonElement entryElement : query.getAsJsonArray("entries")) {
                JsonObject entry = entryElement.getAsJsonObject();
                String verdict = entry.get("verdict").getAsString();
                int rank = entry.get("rank").getAsInt();
                page.append("<tr class=\"").append(verdict).append("\"><td>").append(rank > 0 ? rank : "–")
                        .append("</td><td>").append(verdict.replace('_', ' ')).append("</td><td>")
                        .append(String.format(Locale.ROOT, "%.4f", entry.get("distance").getAsDouble()))
                        .append("</td><td>").append(entry.get("person").getAsInt()).append("</td><td>")
                        .append(entry.get("camera").getAsInt()).append("</td><td>")
                        .append(escape(fileName(entry.get("path").getAsString()))).append("</td></tr>\n");
            }
            page.append("</table>\n");
        }
        return page.append("</body></html>\n").toString();
    }

    private static double number(JsonObject json, String key) {
        return json.get(key).isJsonNull() ? Double.NaN : json.get(key).getAsDouble();
    }

    private static String fileName(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
