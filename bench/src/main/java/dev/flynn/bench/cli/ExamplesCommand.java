package dev.flynn.bench.cli;

import dev.flynn.examples.Examples;
import dev.flynn.examples.Examples.Example;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./flynn examples}: lists the runnable examples of {@code dev.flynn.examples}; {@code
 * ./flynn examples NAME [ARGS]} runs one. An unknown name or a bad argument is a usage error (exit
 * 2, with the message); whatever else an example throws propagates as picocli reports it (exit 1).
 */
@Command(
    name = "examples",
    mixinStandardHelpOptions = true,
    description = {
      "List the runnable examples (threads, processes, pools, queues, locks) or run one.",
      "",
      "./flynn examples NAME [ARGS] runs one. Their source, one class each, is in",
      "examples/src/main/java/dev/flynn/examples; each class comment says what it teaches."
    })
final class ExamplesCommand implements Callable<Integer> {

  @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "the example to run")
  String name;

  @Parameters(index = "1..*", paramLabel = "ARGS", description = "its arguments (see the list)")
  List<String> args = new ArrayList<>();

  @Spec CommandSpec spec;

  /** Where examples print: they take a PrintStream, so this one, not picocli's writer. */
  PrintStream out = System.out;

  @Override
  public Integer call() throws Exception {
    if (name == null) {
      out.println("Runnable examples: ./flynn examples NAME [ARGS]; the source of each is");
      out.println("examples/src/main/java/dev/flynn/examples/CLASS.java");
      out.println();
      for (Example e : Examples.all()) {
        out.printf(
            "  %-21s %s%n  %-21s %s, %s%n%n",
            e.name(), e.teaches(), "", e.type().getSimpleName(), args(e));
      }
      out.flush();
      return 0;
    }
    Example example =
        Examples.named(name)
            .orElseThrow(
                () ->
                    new ParameterException(
                        spec.commandLine(),
                        "unknown example '"
                            + name
                            + "'; the examples are: "
                            + Examples.all().stream()
                                .map(Example::name)
                                .collect(Collectors.joining(", "))));
    try {
      example.run(out, args.toArray(String[]::new));
    } catch (IllegalArgumentException e) {
      // Examples check their arguments with this exception before they start anything.
      throw new ParameterException(spec.commandLine(), name + ": " + e.getMessage());
    } finally {
      out.flush();
    }
    return 0;
  }

  private static String args(Example e) {
    return e.arguments().isEmpty() ? "no arguments" : "arguments " + e.arguments();
  }
}
