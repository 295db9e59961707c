package dev.flynn.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flynn.bench.cli.ReportCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ReportCommandTest {

  @TempDir Path temp;

  private record Run(int status, String out, String err) {}

  private static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new ReportCommand());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int status = cli.execute(args);
    return new Run(status, out.toString(), err.toString());
  }

  @Test
  void writesTheReportAndPrintsWhere() {
    Path dir = temp.resolve("report");
    Run run =
        cli(
            "--jmh", Fixtures.jmh().toString(),
            "--profile", Fixtures.profile().toString(),
            "--out", dir.toString());
    assertEquals(0, run.status(), run.err());
    assertEquals(dir.resolve("report.html").toString(), run.out().strip());
    assertTrue(Files.isRegularFile(dir.resolve("report.html")));
    assertTrue(Files.isRegularFile(dir.resolve("report.md")));
    assertTrue(Files.isRegularFile(dir.resolve("jmh.json")));
  }

  @Test
  void withoutAProfileItSaysWhatIsMissing() {
    Run run = cli("--jmh", Fixtures.jmh().toString(), "--out", temp.toString());
    assertEquals(0, run.status(), run.err());
    assertTrue(run.err().contains("No --profile"), run.err());
  }

  @Test
  void missingOrWrongInputsAreBadUsageNamingTheFile() {
    Path missing = temp.resolve("missing.json");
    Run run = cli("--jmh", missing.toString(), "--out", temp.toString());
    assertEquals(2, run.status());
    assertTrue(run.err().contains("--jmh: no such file: " + missing), run.err());

    Run notAProfile =
        cli(
            "--jmh", Fixtures.jmh().toString(),
            "--profile", Fixtures.jmh().toString(),
            "--out", temp.toString());
    assertEquals(2, notAProfile.status());
    assertTrue(notAProfile.err().contains("not a machine profile"), notAProfile.err());

    assertEquals(2, cli("--out", temp.toString()).status(), "--jmh is required");
  }
}
