package org.fedklpr.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pages in a real browser: Debian's Chromium, headless, opens report.html from disk with no
 * network, runs its scripts, and must report every chart drawn and none failed; a screenshot must
 * show each site's colour. A page whose chart data is broken must be caught by the same check.
 * Without Chromium the test is skipped, unless FEDKLPR_REQUIRE_BROWSER=1 (CI sets it) makes that a
 * failure.
 */
class ReportInBrowserTest {
    private static final Pattern BODY = Pattern.compile("<body([^>]*)>");
    private static Path chromium;

    @TempDir
    static Path work;

    @BeforeAll
    static void findChromium() {
        String configured = System.getenv("FEDKLPR_CHROMIUM");
        Path candidate = Path.of(configured != null ? configured : "/usr/bin/chromium");
        if (!Files.isExecutable(candidate)) {
            if ("1".equals(System.getenv("FEDKLPR_REQUIRE_BROWSER"))) {
                fail("FEDKLPR_REQUIRE_BROWSER=1 but there is no Chromium at " + candidate
                        + " (apt-get install chromium, or set FEDKLPR_CHROMIUM)");
            }
            Assumptions.abort("no Chromium at " + candidate + ": the reports are not checked in a browser here");
        }
        chromium = candidate;
    }

    /** What the browser made of a page. */
    record Rendered(int expected, int drawn, String errors, int canvases, BufferedImage screenshot) {
        /** Pixels within a small distance of {@code rgb} (anti-aliasing blends the edges of lines). */
        int pixelsNear(String hex) {
            int rgb = Integer.parseInt(hex.substring(1), 16);
            int count = 0;
            for (int y = 0; y < screenshot.getHeight(); y++) {
                for (int x = 0; x < screenshot.getWidth(); x++) {
                    int pixel = screenshot.getRGB(x, y);
                    int distance = Math.abs((pixel >> 16 & 0xff) - (rgb >> 16 & 0xff))
                            + Math.abs((pixel >> 8 & 0xff) - (rgb >> 8 & 0xff)) + Math.abs((pixel & 0xff) - (rgb & 0xff));
                    count += distance <= 24 ? 1 : 0;
                }
            }
            return count;
        }

        boolean allDrawn() {
            return expected > 0 && drawn == expected && canvases == expected && errors.isEmpty();
        }
    }

    @Test
    void everyChartOfARunsPageIsDrawnWithEverySitesColour() throws Exception {
        Path run = ReportFixtures.run(work.resolve("run"), "demo", true);
        RunReport.write(run);
        Rendered page = render(run.resolve("report.html"));
        assertTrue(page.allDrawn(), page.toString());
        assertEquals(7, page.drawn());
        for (int site = 0; site < 3; site++) {
            int pixels = page.pixelsNear(Page.color(site));
            assertTrue(pixels > 500, "site " + site + "'s colour " + Page.color(site) + ": " + pixels + " pixels");
        }
    }

    @Test
    void everyChartOfAComparisonsPageIsDrawn() throws Exception {
        Path comparison = ReportFixtures.comparison(work.resolve("cmp"));
        ComparisonPage.write(comparison);
        Rendered page = render(comparison.resolve("report.html"));
        assertTrue(page.allDrawn(), page.toString());
        assertEquals(3, page.drawn());
        assertTrue(page.pixelsNear(Page.color(1)) > 200, "the second configuration's colour");
    }

    @Test
    void aPageWithBrokenChartDataIsCaught() throws Exception {
        Path run = ReportFixtures.run(work.resolve("broken"), "demo", true);
        RunReport.write(run);
        Path page = run.resolve("report.html");
        String html = Files.readString(page, StandardCharsets.UTF_8);
        // A chart whose data is not an array: uPlot cannot draw it, and the page must say so.
        Files.writeString(page, html.replaceFirst("\"x\":\\[", "\"x\":7,\"unused\":["), StandardCharsets.UTF_8);
        Rendered broken = render(page);
        assertTrue(!broken.allDrawn() && !broken.errors().isEmpty(), broken.toString());
        assertEquals(6, broken.drawn(), broken.toString());
    }

    private static Rendered render(Path page) throws IOException, InterruptedException {
        Path screenshot = page.resolveSibling("screenshot.png");
        String dom = chromium(page, "--dump-dom");
        chromium(page, "--screenshot=" + screenshot, "--window-size=1400,2600", "--hide-scrollbars");
        Matcher body = BODY.matcher(dom);
        String attributes = body.find() ? body.group(1) : "";
        int canvases = dom.split("<canvas", -1).length - 1;
        return new Rendered(attribute(attributes, "data-charts-expected"), attribute(attributes, "data-charts-drawn"),
                text(attributes, "data-chart-errors"), canvases, ImageIO.read(screenshot.toFile()));
    }

    private static String chromium(Path page, String... what) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir="
                        + Files.createTempDirectory(work, "profile")));
        command.addAll(List.of(what));
        command.add(page.toUri().toString());
        Path out = Files.createTempFile(work, "chromium", ".out");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail("Chromium did not finish with " + page + " within 2 minutes");
        }
        assertEquals(0, process.exitValue(), "Chromium's exit code for " + List.of(what));
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private static int attribute(String attributes, String name) {
        String value = text(attributes, name);
        return value.isEmpty() ? -1 : Integer.parseInt(value);
    }

    private static String text(String attributes, String name) {
        Matcher matcher = Pattern.compile(name + "=\"([^\"]*)\"").matcher(attributes);
        return matcher.find() ? matcher.group(1) : "";
    }
}
