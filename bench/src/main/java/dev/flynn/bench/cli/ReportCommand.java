package dev.flynn.bench.cli;

import dev.flynn.bench.report.JmhResults;
import dev.flynn.bench.report.MachineProfile;
import dev.flynn.bench.report.ReportWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Writes a benchmark report from saved JMH results, with the machine profile when given. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Write a benchmark report from a JMH JSON result file (-rf json): report.html",
      "(one self-contained page with charts: speed-up over SISD, Flynn against",
      "peers, thread scaling, roofline, allocation), report.md (the same tables)",
      "and jmh.json (the input). The roofline needs the machine profile of the",
      "machine that ran the benchmarks (./flynn check --measure saves it to",
      "~/.flynn/machine-profile.json).",
      "",
      "Exit status: 0 written, 2 bad usage (a missing or unreadable input),",
      "1 a write failure."
    })
public final class ReportCommand implements Callable<Integer> {

  @Option(names = "--jmh", required = true, paramLabel = "FILE", description = "JMH's JSON results")
  Path jmh;

  @Option(
      names = "--profile",
      paramLabel = "FILE",
      description =
          "the machine profile (./flynn check --measure); without it the report cannot describe"
              + " the machine nor draw the roofline's roofs")
  Path profile;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "where to write report.html, report.md and jmh.json (created if missing)")
  Path out;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    check(jmh, "--jmh");
    try {
      JmhResults.read(jmh);
    } catch (IOException e) {
      throw new ParameterException(spec.commandLine(), "--jmh: " + e.getMessage(), e);
    }
    if (profile != null) {
      check(profile, "--profile");
      try {
        MachineProfile.read(profile);
      } catch (IOException e) {
        throw new ParameterException(spec.commandLine(), "--profile: " + e.getMessage(), e);
      }
    }
    PrintWriter stdout = spec.commandLine().getOut();
    try {
      Path html = ReportWriter.write(jmh, profile, out);
      if (profile == null) {
        Path saved = CheckCommand.defaultProfile();
        spec.commandLine()
            .getErr()
            .println(
                "No --profile: the report cannot describe the machine nor draw the roofline's roofs"
                    + (Files.isRegularFile(saved)
                        ? "; this machine's profile is " + saved
                        : "; ./flynn check --measure saves one"));
      }
      stdout.println(html);
      stdout.flush();
      return 0;
    } catch (IOException e) {
      spec.commandLine().getErr().println("report: " + e.getMessage());
      return 1;
    }
  }

  private void check(Path file, String option) {
    if (!Files.isRegularFile(file)) {
      throw new ParameterException(
          spec.commandLine(), option + ": no such file: " + file.toAbsolutePath().normalize());
    }
  }
}
