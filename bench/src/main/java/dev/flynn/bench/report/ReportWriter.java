package dev.flynn.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * Writes a report directory: {@code report.html}, {@code report.md} and the raw {@code jmh.json};
 * with a {@value ProcessRuns#FILE} beside the JMH results or in the directory, the report gains the
 * "Threads versus processes" section.
 */
public final class ReportWriter {

  /** The self-contained HTML page, with charts. */
  public static final String HTML = "report.html";

  /** The Markdown summary: the same tables. */
  public static final String MARKDOWN = "report.md";

  /** The JMH results the report was made from, copied unchanged. */
  public static final String RAW = "jmh.json";

  private ReportWriter() {}

  /**
   * Reads JMH's JSON results and, when given, the machine profile, and writes the report into
   * {@code outDir} (created when missing; files of the same names are replaced).
   *
   * @param jmhJson JMH's result file ({@code -rf json})
   * @param profileOrNull the profile {@code ./flynn check --measure} saved, or null for none
   * @param outDir where to write
   * @return the HTML page
   * @throws IOException when a file cannot be read or written, or is not what it should be; the
   *     message names the file
   */
  public static Path write(Path jmhJson, Path profileOrNull, Path outDir) throws IOException {
    JmhResults results = JmhResults.read(jmhJson);
    Optional<MachineProfile> profile =
        profileOrNull == null ? Optional.empty() : Optional.of(MachineProfile.read(profileOrNull));
    Report report = Report.of(results, profile);
    List<ConcurrencySections.Section> extra =
        ConcurrencySections.of(results, processRuns(jmhJson, outDir));
    Files.createDirectories(outDir);
    Path raw = outDir.resolve(RAW);
    if (!Files.exists(raw) || !Files.isSameFile(jmhJson, raw)) {
      Files.copy(jmhJson, raw, StandardCopyOption.REPLACE_EXISTING);
    }
    Files.writeString(outDir.resolve(MARKDOWN), MarkdownReport.render(report, RAW, HTML, extra));
    Path html = outDir.resolve(HTML);
    Files.writeString(html, HtmlReport.render(report, RAW, extra));
    return html;
  }

  /**
   * The figures of {@code ./flynn processes --json}, when a {@value ProcessRuns#FILE} lies beside
   * the JMH results or in the output directory (in that order).
   */
  private static Optional<ProcessRuns> processRuns(Path jmhJson, Path outDir) throws IOException {
    Path beside = jmhJson.toAbsolutePath().resolveSibling(ProcessRuns.FILE);
    for (Path candidate : List.of(beside, outDir.resolve(ProcessRuns.FILE))) {
      if (Files.isRegularFile(candidate)) {
        return Optional.of(ProcessRuns.read(candidate));
      }
    }
    return Optional.empty();
  }
}
