package dev.flynn.bench.cli;

import dev.flynn.bench.report.Compare;
import dev.flynn.bench.report.JmhResults;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Compares two JMH result files and fails when the new one is slower beyond a threshold: the check
 * a CI job runs between a saved baseline and a fresh run. See {@link Compare} for the rules.
 */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    description = {
      "Compare two JMH JSON result files (-rf json) benchmark by benchmark (method",
      "and parameters): old and new score, speed-up = old time / new time (above 1",
      "the new run is faster), REGRESSION when the new run is slower by more than",
      "the threshold, and the benchmarks found in only one of them.",
      "",
      "Exit status: 0 no regression, "
          + CompareCommand.EXIT_REGRESSION
          + " one or more regressions, 2 bad usage",
      "(a missing or unreadable file, a bad threshold)."
    })
public final class CompareCommand implements Callable<Integer> {

  /** Exit status when at least one benchmark regressed beyond the threshold. */
  public static final int EXIT_REGRESSION = 4;

  @Parameters(index = "0", paramLabel = "OLD.json", description = "the reference run")
  Path oldFile;

  @Parameters(index = "1", paramLabel = "NEW.json", description = "the run to check")
  Path newFile;

  @Option(
      names = "--threshold",
      paramLabel = "PERCENT",
      defaultValue = "5",
      description =
          "how much slower counts as a regression, in percent (default: ${DEFAULT-VALUE})")
  double thresholdPercent;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (!(thresholdPercent >= 0) || Double.isInfinite(thresholdPercent)) {
      throw new ParameterException(
          spec.commandLine(),
          "--threshold must be a percentage of 0 or more, not " + thresholdPercent);
    }
    JmhResults old = read(oldFile, "OLD.json");
    JmhResults neu = read(newFile, "NEW.json");
    Compare.Comparison comparison = Compare.compare(old, neu, thresholdPercent);
    comparison.print(spec.commandLine().getOut(), oldFile.toString(), newFile.toString());
    return comparison.regression() ? EXIT_REGRESSION : 0;
  }

  private JmhResults read(Path file, String label) {
    if (!Files.isRegularFile(file)) {
      throw new ParameterException(
          spec.commandLine(), label + ": no such file: " + file.toAbsolutePath().normalize());
    }
    try {
      return JmhResults.read(file);
    } catch (IOException e) {
      throw new ParameterException(spec.commandLine(), label + ": " + e.getMessage(), e);
    }
  }
}
