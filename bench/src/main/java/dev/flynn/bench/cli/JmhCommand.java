package dev.flynn.bench.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Runs JMH itself on Flynn's benchmarks, with JMH's own options, for custom runs. */
@Command(
    name = "jmh",
    description = {
      "Run JMH on Flynn's benchmarks, with JMH's own options.",
      "for example: ./flynn jmh DemoBenchmark.sum -p size=65536 -p mode=SIMD,SISD",
      "./flynn jmh -h lists JMH's options; ./flynn jmh -l lists the benchmarks.",
      "Forks get -XX:+UseTransparentHugePages where Linux offers huge pages",
      "(FLYNN_BENCH_HUGE_PAGES=off, or your own -jvmArgsPrepend, leaves it out)."
    })
final class JmhCommand implements Callable<Integer> {

  @Parameters(arity = "0..*", paramLabel = "JMH_ARG", description = "passed to JMH unchanged")
  List<String> args = List.of();

  @Override
  public Integer call() throws Exception {
    org.openjdk.jmh.Main.main(withForkOptions(args, ForkOptions.forThisMachine()));
    return 0;
  }

  /**
   * JMH's arguments with {@link ForkOptions} prepended to every fork's JVM arguments, unless the
   * caller chose their own {@code -jvmArgsPrepend} (which then replaces them).
   */
  static String[] withForkOptions(List<String> args, List<String> forkOptions) {
    List<String> all = new ArrayList<>(args);
    if (!forkOptions.isEmpty() && !args.contains("-jvmArgsPrepend")) {
      all.add(0, "-jvmArgsPrepend");
      all.add(1, String.join(" ", forkOptions));
    }
    return all.toArray(String[]::new);
  }
}
