package dev.flynn.bench.cli;

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
      "./flynn jmh -h lists JMH's options; ./flynn jmh -l lists the benchmarks."
    })
final class JmhCommand implements Callable<Integer> {

  @Parameters(arity = "0..*", paramLabel = "JMH_ARG", description = "passed to JMH unchanged")
  List<String> args = List.of();

  @Override
  public Integer call() throws Exception {
    org.openjdk.jmh.Main.main(args.toArray(String[]::new));
    return 0;
  }
}
