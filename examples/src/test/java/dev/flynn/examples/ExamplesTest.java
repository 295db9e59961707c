package dev.flynn.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flynn.examples.Examples.Example;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The listing against the classes, and bad arguments refused before anything starts. */
class ExamplesTest {

  /** Fails when an example class has no listing entry, or an entry no class. */
  @Test
  void everyExampleClassIsListedAndEveryEntryHasAClass() throws Exception {
    Path classes =
        Path.of(Examples.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Set<String> found = new TreeSet<>();
    try (Stream<Path> files = Files.list(classes.resolve("dev/flynn/examples"))) {
      for (Path file : files.toList()) {
        String name = file.getFileName().toString();
        if (name.endsWith(".class") && !name.contains("$")) {
          Class<?> type = Class.forName("dev.flynn.examples." + name.replace(".class", ""));
          if (hasRunMethod(type)) {
            found.add(type.getName());
          }
        }
      }
    }
    Set<String> listed =
        Examples.all().stream()
            .map(e -> e.type().getName())
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(found, listed, "example classes (left) against the listing (right)");
    assertEquals(6, found.size(), "the six examples of issue 6: " + found);

    Set<String> names = new TreeSet<>();
    for (Example e : Examples.all()) {
      assertTrue(names.add(e.name()), "two examples named " + e.name());
      assertTrue(e.name().matches("[a-z]+(-[a-z]+)*"), "a command name: " + e.name());
      assertTrue(hasRunMethod(e.type()), e.type() + " lacks run(PrintStream, String...)");
      Method main = e.type().getMethod("main", String[].class);
      assertTrue(Modifier.isStatic(main.getModifiers()), e.type() + " lacks a static main");
      assertEquals(e, Examples.named(e.name()).orElseThrow());
    }
    assertTrue(Examples.named("no-such-example").isEmpty());
  }

  private static boolean hasRunMethod(Class<?> type) {
    try {
      Method run = type.getMethod("run", PrintStream.class, String[].class);
      return Modifier.isStatic(run.getModifiers()) && run.getReturnType() == void.class;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  static Stream<Arguments> badArguments() {
    return Stream.of(
        Arguments.of("first-thread", new String[] {"0"}, "n must be an integer from 1 to"),
        Arguments.of("first-thread", new String[] {"1", "2"}, "at most 1 arguments (n): got 2"),
        Arguments.of("first-process", new String[] {"256"}, "exit-code must be"),
        Arguments.of("first-process", new String[] {"1", "soon"}, "child-ms must be"),
        Arguments.of("threads-vs-processes", new String[] {"0"}, "threads must be"),
        Arguments.of("threads-vs-processes", new String[] {"1", "1", "1"}, "longs must be"),
        Arguments.of("pool", new String[] {"1"}, "below must be an integer from 2 to"),
        Arguments.of("pool", new String[] {"100", "100", "-3"}, "threads must be"),
        Arguments.of("producer-consumer", new String[] {"10", "0"}, "consumers must be"),
        Arguments.of("producer-consumer", new String[] {"10", "1", "1", "11"}, "fail-at must be"),
        Arguments.of("locks", new String[] {"1"}, "threads must be an integer from 2 to 64: '1'"),
        Arguments.of("locks", new String[] {"2", "2", "2", "2", "2"}, "at most 4 arguments"));
  }

  @ParameterizedTest
  @MethodSource("badArguments")
  void aBadArgumentIsRefusedBeforeAnythingStarts(String name, String[] args, String message)
      throws Exception {
    NothingLeft nothingLeft = NothingLeft.now();
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    Example example = Examples.named(name).orElseThrow();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> example.run(new PrintStream(printed), args));
    assertTrue(e.getMessage().contains(message), e.getMessage());
    assertEquals(0, printed.size(), "printed before refusing: " + printed);
    nothingLeft.check();
  }

  @ParameterizedTest
  @MethodSource("names")
  void nullsAreRefused(String name) {
    Example example = Examples.named(name).orElseThrow();
    PrintStream out = new PrintStream(new ByteArrayOutputStream());
    assertEquals(
        "out", assertThrows(NullPointerException.class, () -> example.run(null)).getMessage());
    assertEquals(
        "args",
        assertThrows(NullPointerException.class, () -> example.run(out, (String[]) null))
            .getMessage());
    NullPointerException e =
        assertThrows(NullPointerException.class, () -> example.run(out, "1", null));
    assertEquals("args[1]", e.getMessage());
  }

  static Stream<String> names() throws IOException {
    return Examples.all().stream().map(Example::name);
  }
}
