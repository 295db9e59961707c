package dev.flynn.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flynn.examples.Examples;
import dev.flynn.examples.Examples.Example;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code ./flynn examples}: the list, one run, and usage errors. */
class ExamplesCommandTest {

  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final StringWriter err = new StringWriter();

  private int execute(String... args) {
    CommandLine cli = FlynnCli.commandLine();
    cli.setErr(new PrintWriter(err));
    ExamplesCommand command =
        (ExamplesCommand) cli.getSubcommands().get("examples").getCommandSpec().userObject();
    command.out = new PrintStream(printed, true, StandardCharsets.UTF_8);
    return cli.execute(args);
  }

  private String printed() {
    return printed.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theListNamesEveryExampleWithItsClassAndArguments() {
    assertEquals(0, execute("examples"));
    String out = printed();
    for (Example e : Examples.all()) {
      Matcher entry =
          Pattern.compile(
                  "\\n  "
                      + Pattern.quote(e.name())
                      + " +"
                      + Pattern.quote(e.teaches())
                      + "\\n +"
                      + e.type().getSimpleName()
                      + ", arguments "
                      + Pattern.quote(e.arguments())
                      + "\\n")
              .matcher(out);
      assertTrue(entry.find(), e.name() + " is not listed in:\n" + out);
    }
    assertEquals(
        Examples.all().size(),
        Pattern.compile("(?m)^  [a-z-]+ ").matcher(out).results().count(),
        "one entry per example:\n" + out);
  }

  @Test
  void runsAnExampleWithItsArguments() {
    assertEquals(0, execute("examples", "producer-consumer", "500", "2", "4"));
    long sum = 500L * 501 / 2;
    assertTrue(printed().contains("all consumers       500 items, sum " + sum + ", "), printed());
  }

  @Test
  void anUnknownExampleIsABadUsageThatNamesTheExamples() {
    assertEquals(2, execute("examples", "deadlock"));
    assertTrue(err.toString().contains("unknown example 'deadlock'"), err.toString());
    assertTrue(err.toString().contains("first-thread, first-process"), err.toString());
    assertEquals("", printed());
  }

  @Test
  void aBadArgumentIsABadUsageThatNamesIt() {
    assertEquals(2, execute("examples", "locks", "1"));
    assertTrue(
        err.toString().contains("locks: threads must be an integer from 2 to 64: '1'"),
        err.toString());
    assertEquals("", printed());
  }
}
