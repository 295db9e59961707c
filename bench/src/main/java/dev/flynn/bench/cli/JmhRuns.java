package dev.flynn.bench.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/** Runs JMH from the command line tools: one configuration at a time, its output kept aside. */
final class JmhRuns {

  private JmhRuns() {}

  /** JMH settings shared by every run of one command. */
  record Settings(int iterations, int iterationMs, boolean gcProfiler) {

    /**
     * The benchmark class's own {@code @BenchmarkMode}, {@code @Warmup} and {@code @Measurement}:
     * for suites whose runs need their own warm-up or JMH mode (the requests' sample time), with
     * JMH's GC profiler as every run of {@code ./flynn bench}.
     */
    static final Settings CLASS_DEFAULTS = new Settings(0, 0, true);

    boolean classDefaults() {
      return iterations == 0;
    }
  }

  /**
   * Runs the benchmarks matching {@code include} with {@code params}, one fork each. JMH's own
   * output (and what the forked JVM prints) is shown only when the run fails.
   */
  static Collection<RunResult> run(String include, Map<String, String> params, Settings settings)
      throws RunnerException {
    ChainedOptionsBuilder options =
        new OptionsBuilder().include(include).forks(1).shouldFailOnError(true);
    if (!settings.classDefaults()) {
      TimeValue iteration = TimeValue.milliseconds(settings.iterationMs());
      options
          .warmupIterations(settings.iterations())
          .warmupTime(iteration)
          .measurementIterations(settings.iterations())
          .measurementTime(iteration)
          .mode(org.openjdk.jmh.annotations.Mode.AverageTime)
          .timeUnit(TimeUnit.NANOSECONDS);
    }
    params.forEach((name, value) -> options.param(name, value));
    List<String> forkOptions = ForkOptions.forThisMachine();
    if (!forkOptions.isEmpty()) {
      options.jvmArgsPrepend(forkOptions.toArray(String[]::new));
    }
    if (settings.gcProfiler()) {
      options.addProfiler(GCProfiler.class);
    }
    ByteArrayOutputStream jmhOutput = new ByteArrayOutputStream();
    PrintStream jmhStream = new PrintStream(jmhOutput, true, StandardCharsets.UTF_8);
    Collection<RunResult> results;
    try {
      results =
          new Runner(
                  options.build(),
                  OutputFormatFactory.createFormatInstance(jmhStream, VerboseMode.NORMAL))
              .run();
    } catch (RunnerException | RuntimeException e) {
      System.err.print(jmhOutput.toString(StandardCharsets.UTF_8));
      throw e;
    }
    if (results.isEmpty()) {
      System.err.print(jmhOutput.toString(StandardCharsets.UTF_8));
      throw new IllegalStateException("JMH returned no result for " + include + " " + params);
    }
    return results;
  }

  /** Writes results in JMH's own JSON format, the one {@code -rf json} writes. */
  static void writeJson(Collection<RunResult> results, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (PrintStream out =
        new PrintStream(Files.newOutputStream(file), false, StandardCharsets.UTF_8)) {
      ResultFormatFactory.getInstance(ResultFormatType.JSON, out).writeOut(results);
    }
  }

  /** "about 1 min 5 s left" from the time the first {@code done} of {@code total} runs took. */
  static String remaining(long startedNanos, int done, int total) {
    if (done == 0) {
      return "";
    }
    long perRun = (System.nanoTime() - startedNanos) / done;
    long seconds = TimeUnit.NANOSECONDS.toSeconds(perRun * (total - done));
    return "(about "
        + (seconds >= 60 ? (seconds / 60) + " min " + (seconds % 60) + " s" : seconds + " s")
        + " left)";
  }
}
