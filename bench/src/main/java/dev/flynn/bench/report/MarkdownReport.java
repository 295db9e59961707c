package dev.flynn.bench.report;

import java.util.List;
import java.util.Optional;

/**
 * The report as Markdown: the same tables as the HTML page, without the charts, for a pull request,
 * a commit note or a terminal.
 */
public final class MarkdownReport {

  private MarkdownReport() {}

  /**
   * Renders the summary.
   *
   * @param report the report
   * @param rawJson the name of the raw JMH file beside it
   * @param html the name of the HTML report beside it, which has the charts
   */
  public static String render(Report report, String rawJson, String html) {
    return render(
        report, rawJson, html, ConcurrencySections.of(report.results(), Optional.empty()));
  }

  /** Renders the summary with {@code extra} sections after the report's own, before the notes. */
  static String render(
      Report report, String rawJson, String html, List<ConcurrencySections.Section> extra) {
    StringBuilder md = new StringBuilder();
    md.append("# Flynn benchmark report\n\n");
    md.append(report.results().benchmarks().size())
        .append(" JMH results. Charts: [")
        .append(html)
        .append("](")
        .append(html)
        .append("). Raw results: [")
        .append(rawJson)
        .append("](")
        .append(rawJson)
        .append(").");
    List<List<String>> optionSets = report.results().vmOptionSets();
    if (optionSets.stream().anyMatch(o -> !o.isEmpty())) {
      md.append(" Forks ran with ");
      for (int i = 0; i < optionSets.size(); i++) {
        md.append(i == 0 ? "" : " or ")
            .append('`')
            .append(String.join(" ", optionSets.get(i)))
            .append('`');
      }
      md.append('.');
    }
    md.append('\n');

    md.append("\n## Machine\n\n");
    Optional<Table> machine = ReportTables.machine(report);
    if (machine.isEmpty()) {
      md.append(
          "No machine profile was given. Run `./flynn check --measure` on the machine that ran the"
              + " benchmarks (it saves `~/.flynn/machine-profile.json`) and regenerate the report"
              + " with `--profile ~/.flynn/machine-profile.json`.\n");
    } else {
      table(md, machine.get());
      ReportTables.calibration(report).ifPresent(t -> table(md, t));
    }

    md.append("\n## Speed-up over SISD\n\n");
    if (report.speedups().isEmpty()) {
      md.append("No Flynn mode measurements here (benchmarks with a 'mode' parameter).\n");
    } else {
      table(md, ReportTables.speedups(report));
    }

    md.append("\n## Flynn against other libraries\n\n");
    if (report.peerRows().isEmpty()) {
      md.append("No peers measured here (benchmarks with a 'peer' parameter).\n");
    } else {
      table(md, ReportTables.peers(report));
    }

    md.append("\n## Thread scaling\n\n");
    if (report.scaling().isEmpty()) {
      md.append("No run was measured at two or more thread counts.\n");
    } else {
      table(md, ReportTables.scaling(report));
    }

    md.append("\n## Roofline\n\n");
    if (report.profile().flatMap(MachineProfile::calibration).isEmpty()) {
      md.append(
          "No measured machine profile, so no roofs: run `./flynn check --measure` and"
              + " regenerate the report with `--profile`.\n\n");
    }
    if (!report.roofline().isEmpty()) {
      table(md, ReportTables.roofline(report));
    }
    table(md, ReportTables.costs());

    md.append("\n## Allocation per call\n\n");
    if (report.allocations().isEmpty()) {
      md.append("No allocation figures: run JMH with `-prof gc` to get them.\n");
    } else {
      Table flags = ReportTables.allocationFlags(report);
      if (flags.rows().isEmpty()) {
        md.append("No single-threaded run allocates. ")
            .append(String.join(" ", flags.notes()))
            .append('\n');
      } else {
        table(md, flags);
      }
      table(md, ReportTables.allocations(report));
    }

    for (ConcurrencySections.Section section : extra) {
      md.append("\n## ").append(section.title()).append("\n\n");
      md.append(section.lead()).append("\n\n");
      section.tables().forEach(t -> table(md, t));
    }

    if (!report.notes().isEmpty()) {
      md.append("\n## Notes\n\n");
      report.notes().forEach(n -> md.append("- ").append(n).append('\n'));
    }
    return md.toString();
  }

  static void table(StringBuilder md, Table table) {
    md.append("**").append(table.caption()).append("**\n\n");
    row(md, table.headers());
    md.append('|');
    for (int i = 0; i < table.headers().size(); i++) {
      boolean text = table.rows().isEmpty() || table.rows().get(0).get(i).kind() == Table.Kind.TEXT;
      md.append(text ? "---|" : "---:|");
    }
    md.append('\n');
    for (List<Table.Cell> cells : table.rows()) {
      row(
          md,
          cells.stream()
              .map(c -> c.kind() == Table.Kind.FLAG ? "**" + c.text() + "**" : c.text())
              .toList());
    }
    md.append('\n');
    for (String note : table.notes()) {
      md.append(note).append("\n\n");
    }
  }

  private static void row(StringBuilder md, List<String> cells) {
    md.append('|');
    for (String cell : cells) {
      md.append(' ').append(cell.replace("|", "\\|")).append(" |");
    }
    md.append('\n');
  }
}
