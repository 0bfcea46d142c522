package org.fedklpr.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.fedklpr.api.FedklprException;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;

/**
 * One self-contained HTML page: the text sections a report adds, then its charts, drawn in the
 * browser by uPlot from data embedded in the page. uPlot, its style sheet and the drawing script
 * are copied into every page, so it opens offline, from anywhere, as one file.
 */
final class Page {
    /** Tableau's ten colours: distinct on screen and in print. */
    private static final String[] PALETTE = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
        "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
    static final String EMPHASIS = "#000000";

    /** A line of a chart; NaN values are gaps. */
    record Series(String label, double[] values, String color, boolean emphasised) {
    }

    /**
     * @param x ascending, shared by every series; a series with a value at only some x is drawn
     *        through those (one value: a dot)
     */
    record Chart(String title, String xLabel, String yLabel, double[] x, List<Series> series, int decimals) {
    }

    private final String title;
    private final StringBuilder body = new StringBuilder();
    private final List<Chart> charts = new ArrayList<>();

    Page(String title) {
        this.title = title;
    }

    static String color(int index) {
        return PALETTE[index % PALETTE.length];
    }

    Page html(String html) {
        body.append(html);
        return this;
    }

    /** Places {@code charts} side by side here; none is drawn for a chart without a value. */
    Page charts(List<Chart> group) {
        body.append("<div class=\"charts\">\n");
        for (Chart chart : group) {
            boolean anyValue = chart.series().stream().flatMapToDouble(series -> java.util.Arrays.stream(series.values()))
                    .anyMatch(Double::isFinite);
            if (!anyValue) {
                continue; // e.g. the loss before any round has trained
            }
            String id = "chart-" + charts.size();
            charts.add(chart);
            body.append("<div class=\"chart\" id=\"").append(id).append("\"></div>\n");
        }
        body.append("</div>\n");
        return this;
    }

    int chartCount() {
        return charts.size();
    }

    String render() {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>" + escape(title)
                + "</title>\n<meta name=\"generator\" content=\"FedKLPR platform\">\n<style>\n"
                + resource("uplot/uPlot.min.css") + "\n" + resource("report.css") + "</style>\n</head>\n<body>\n"
                + body + "<script type=\"application/json\" id=\"fedklpr-charts\">" + chartData()
                + "</script>\n<script>\n/* uPlot (MIT licence, github.com/leeoniya/uPlot) */\n"
                + resource("uplot/uPlot.iife.min.js") + "\n</script>\n<script>\n" + resource("charts.js")
                + "</script>\n</body></html>\n";
    }

    private String chartData() {
        JsonArray specs = new JsonArray();
        for (int c = 0; c < charts.size(); c++) {
            Chart chart = charts.get(c);
            JsonObject spec = new JsonObject();
            spec.addProperty("id", "chart-" + c);
            spec.addProperty("title", chart.title());
            spec.addProperty("xLabel", chart.xLabel());
            spec.addProperty("yLabel", chart.yLabel());
            spec.addProperty("decimals", chart.decimals());
            spec.addProperty("wholeX", "round".equals(chart.xLabel()));
            spec.add("x", numbers(chart.x()));
            JsonArray series = new JsonArray();
            for (Series one : chart.series()) {
                JsonObject line = new JsonObject();
                line.addProperty("label", one.label());
                line.addProperty("color", one.color());
                line.addProperty("emphasised", one.emphasised());
                line.add("values", numbers(one.values()));
                series.add(line);
            }
            spec.add("series", series);
            specs.add(spec);
        }
        // "</" cannot end the script element early: every "<" of the data is escaped.
        return new Gson().toJson(specs).replace("<", "\\u003c");
    }

    private static JsonArray numbers(double[] values) {
        JsonArray array = new JsonArray();
        for (double value : values) {
            if (Double.isFinite(value)) {
                array.add(value);
            } else {
                array.add(JsonNull.INSTANCE);
            }
        }
        return array;
    }

    /** Writes the page to {@code file} through a temporary file, so a reader never sees half a page. */
    void write(Path file) {
        try {
            Path partial = file.resolveSibling(file.getFileName() + ".partial");
            Files.writeString(partial, render(), StandardCharsets.UTF_8);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new FedklprException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = open(name)) {
            if (in == null) {
                throw new IllegalStateException("the report bundle lacks its resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The bundle carries uPlot's files beside this class (bnd.bnd copies them there); a plain class
     * path, as in the unit tests, has them where the WebJar keeps them.
     */
    private static InputStream open(String name) throws IOException {
        InputStream bundled = Page.class.getResourceAsStream(name);
        if (bundled != null || !name.startsWith("uplot/")) {
            return bundled;
        }
        java.util.Properties webJar = new java.util.Properties();
        try (InputStream pom = Page.class.getResourceAsStream("/META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
            if (pom == null) {
                return null;
            }
            webJar.load(pom);
        }
        return Page.class.getResourceAsStream("/META-INF/resources/webjars/uplot/" + webJar.getProperty("version")
                + "/dist/" + name.substring("uplot/".length()));
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    static String percent(double fraction) {
        return Double.isFinite(fraction) ? String.format(Locale.ROOT, "%.1f", 100 * fraction) : "–";
    }

    static String number(double value, String format) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, format, value) : "–";
    }
}
