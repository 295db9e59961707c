package dev.flynn.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders the report in Debian's headless Chromium, offline: every chart is drawn without a
 * JavaScript error, and a screenshot lands in {@code bench/target/report-screenshot.png} for a
 * person to look at. Skipped only where {@code /usr/bin/chromium} is absent ({@code apt-get install
 * chromium}; CI installs it).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ChromiumRenderTest {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  /** Where the screenshot goes: the module's target directory (Surefire runs in the module). */
  static final Path SCREENSHOT = Path.of("target", "report-screenshot.png").toAbsolutePath();

  @TempDir static Path temp;

  private static Path report;

  @BeforeAll
  static void writeReport() throws IOException {
    Assumptions.assumeTrue(
        Files.isExecutable(CHROMIUM), CHROMIUM + " is absent: apt-get install chromium");
    report = ReportWriter.write(Fixtures.jmh(), Fixtures.profile(), temp.resolve("report"));
  }

  private record Result(int status, String stdout, String stderr) {}

  /** Runs Chromium headless on the report with its own profile directory, network off. */
  private static Result chromium(String... extra) throws IOException, InterruptedException {
    return chromium(report, extra);
  }

  private static Result chromium(Path page, String... extra)
      throws IOException, InterruptedException {
    Path userData = Files.createTempDirectory(temp, "chromium-profile");
    List<String> command =
        new ArrayList<>(
            List.of(
                CHROMIUM.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--hide-scrollbars",
                "--user-data-dir=" + userData,
                "--enable-logging=stderr",
                "--v=0"));
    command.addAll(List.of(extra));
    command.add(page.toUri().toString());
    Path stdout = Files.createTempFile(temp, "chromium", ".out");
    Path stderr = Files.createTempFile(temp, "chromium", ".err");
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .start();
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor();
      throw new AssertionError(
          "Chromium did not finish in 90 s: " + Files.readString(stderr, StandardCharsets.UTF_8));
    }
    return new Result(
        process.exitValue(),
        Files.readString(stdout, StandardCharsets.UTF_8),
        Files.readString(stderr, StandardCharsets.UTF_8));
  }

  /**
   * What the page wrote to the console, uncaught exceptions included: Chromium logs every console
   * message as {@code INFO:CONSOLE}, whatever its level, and the page itself writes nothing, so any
   * such line is a warning or an error from the page or from ECharts.
   */
  private static List<String> consoleMessages(String stderr) {
    return stderr.lines().filter(l -> l.contains(":CONSOLE") || l.contains("Uncaught")).toList();
  }

  @Test
  void everyChartIsDrawnWithoutAScriptError() throws Exception {
    Result run = chromium("--dump-dom", "--virtual-time-budget=2000");
    assertEquals(0, run.status(), run.stderr());
    Document dom = Jsoup.parse(run.stdout());
    Element body = dom.body();
    assertEquals("", body.attr("data-errors"), "JavaScript errors");
    assertEquals("true", body.attr("data-rendered"), "the page's script ran to the end");
    List<Element> charts = dom.select("div.chart");
    assertEquals(13, charts.size());
    assertEquals(Integer.toString(charts.size()), body.attr("data-charts"));
    for (Element chart : charts) {
      assertEquals("true", chart.attr("data-rendered"), chart.id());
      assertNotNull(
          chart.selectFirst("canvas"), chart.id() + " has no canvas: ECharts drew nothing");
    }
    assertEquals(List.of(), consoleMessages(run.stderr()));
  }

  @Test
  void screenshot() throws Exception {
    Files.createDirectories(SCREENSHOT.getParent());
    Files.deleteIfExists(SCREENSHOT);
    Result run =
        chromium(
            "--screenshot=" + SCREENSHOT, "--window-size=1400,3000", "--virtual-time-budget=2000");
    assertEquals(0, run.status(), run.stderr());
    assertTrue(Files.size(SCREENSHOT) > 50_000, "a screenshot with charts is not tiny");
    assertEquals(List.of(), consoleMessages(run.stderr()));
  }

  @Test
  void aScriptErrorAnywhereInThePageIsCaught() throws Exception {
    // The check above must be able to fail: the same page with a broken script before the charts.
    String html = Files.readString(report);
    Path broken = report.resolveSibling("broken.html");
    Files.writeString(
        broken, html.replace("</footer>", "</footer>\n<script>notAFunction();</script>"));
    Result run = chromium(broken, "--dump-dom", "--virtual-time-budget=2000");
    Element body = Jsoup.parse(run.stdout()).body();
    assertEquals("false", body.attr("data-rendered"));
    assertTrue(body.attr("data-errors").contains("notAFunction"), body.attr("data-errors"));
    assertTrue(
        consoleMessages(run.stderr()).stream().anyMatch(l -> l.contains("notAFunction")),
        run.stderr());
  }
}
