package org.fedklpr.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small chart written as SVG: per series a polyline or, for a series of markers, a dot per point;
 * axes with ticks and a legend.
 */
final class SvgChart {
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
        "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#000000", "#aec7e8"};
    private static final int WIDTH = 760;
    private static final int HEIGHT = 460;
    private static final int LEFT = 70;
    private static final int RIGHT = 200;
    private static final int TOP = 40;
    private static final int BOTTOM = 60;

    /** One series: its name, its points, and whether it is drawn as dots rather than a line. */
    record Series(String name, double[] x, double[] y, boolean markers) {
        Series(String name, double[] x, double[] y) {
            this(name, x, y, false);
        }
    }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private final boolean xFromZero;

    SvgChart(String title, String xLabel, String yLabel) {
        this(title, xLabel, yLabel, false);
    }

    /** @param xFromZero whether the x axis starts at 0 whatever the data (traffic, where 0 is the reference) */
    SvgChart(String title, String xLabel, String yLabel, boolean xFromZero) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.xFromZero = xFromZero;
    }

    SvgChart add(Series line) {
        series.add(line);
        return this;
    }

    String render() {
        double minX = xFromZero ? 0 : Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double maxY = 0;
        for (Series line : series) {
            for (double x : line.x()) {
                minX = Math.min(minX, x);
                maxX = Math.max(maxX, x);
            }
            for (double y : line.y()) {
                maxY = Math.max(maxY, y);
            }
        }
        if (!(maxX > minX)) {
            maxX = minX + 1;
        }
        boolean integral = series.stream().allMatch(line -> java.util.Arrays.stream(line.x())
                .allMatch(x -> x == Math.rint(x)));
        if (integral) {
            // Whole numbers on the x axis (rounds): stretch it so that every tick is one.
            maxX = minX + 5 * Math.ceil((maxX - minX) / 5);
        }
        maxY = niceCeiling(maxY);
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"15\">%s</text>%n", LEFT,
                escape(title)));
        int plotWidth = WIDTH - LEFT - RIGHT;
        int plotHeight = HEIGHT - TOP - BOTTOM;
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                + "stroke=\"#444\"/>%n", LEFT, TOP, plotWidth, plotHeight));
        for (int tick = 0; tick <= 5; tick++) {
            double yValue = maxY * tick / 5;
            double y = TOP + plotHeight - plotHeight * tick / 5.0;
            double xValue = minX + (maxX - minX) * tick / 5;
            double x = LEFT + plotWidth * tick / 5.0;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT, y, LEFT + plotWidth, y,
                    LEFT - 6, y + 4, number(yValue)));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x,
                    TOP + plotHeight + 18, number(xValue)));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                LEFT + plotWidth / 2, HEIGHT - 15, escape(xLabel)));
        svg.append(String.format(Locale.ROOT, "<text x=\"18\" y=\"%d\" text-anchor=\"middle\" "
                + "transform=\"rotate(-90 18 %d)\">%s</text>%n", TOP + plotHeight / 2, TOP + plotHeight / 2,
                escape(yLabel)));
        for (int s = 0; s < series.size(); s++) {
            Series line = series.get(s);
            String colour = COLOURS[s % COLOURS.length];
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < line.x().length; i++) {
                double x = LEFT + plotWidth * (line.x()[i] - minX) / (maxX - minX);
                double y = TOP + plotHeight - plotHeight * (maxY == 0 ? 0 : line.y()[i] / maxY);
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            int legendY = TOP + 10 + 18 * s;
            if (line.markers()) {
                for (String point : points.toString().trim().split(" ")) {
                    String[] xy = point.split(",");
                    svg.append(String.format(Locale.ROOT, "<circle cx=\"%s\" cy=\"%s\" r=\"5\" fill=\"%s\"/>%n",
                            xy[0], xy[1], colour));
                }
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%d\" cy=\"%d\" r=\"5\" fill=\"%s\"/>",
                        WIDTH - RIGHT + 25, legendY, colour));
            } else {
                svg.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
                        + "points=\"%s\"/>%n", colour, points.toString().trim()));
                svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
                        + "stroke=\"%s\" stroke-width=\"3\"/>", WIDTH - RIGHT + 15, legendY, WIDTH - RIGHT + 35,
                        legendY, colour));
            }
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", WIDTH - RIGHT + 40,
                    legendY + 4, escape(line.name())));
        }
        return svg.append("</svg>\n").toString();
    }

    private static double niceCeiling(double value) {
        if (value <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= value) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String number(double value) {
        return Math.abs(value - Math.rint(value)) < 1e-9 ? String.valueOf((long) Math.rint(value))
                : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
