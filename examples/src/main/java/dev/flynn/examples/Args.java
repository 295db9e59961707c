package dev.flynn.examples;

import java.io.PrintStream;
import java.util.Objects;

/**
 * The examples' optional integer arguments, checked before an example starts anything. Not a lesson
 * of its own: it keeps argument parsing out of the examples.
 */
final class Args {

  private Args() {}

  /**
   * Refuses a null {@code out} or argument, and more arguments than {@code names} lists.
   *
   * @throws NullPointerException when {@code out}, {@code args} or one of them is null
   * @throws IllegalArgumentException when there are more arguments than names
   */
  static void check(String example, PrintStream out, String[] args, String... names) {
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(args, "args");
    for (int i = 0; i < args.length; i++) {
      Objects.requireNonNull(args[i], "args[" + i + "]");
    }
    if (args.length > names.length) {
      throw new IllegalArgumentException(
          example
              + " takes at most "
              + names.length
              + " arguments ("
              + String.join(", ", names)
              + "): got "
              + args.length);
    }
  }

  /**
   * Argument {@code index} as an int from {@code min} to {@code max}, or {@code fallback} when
   * there are fewer arguments.
   *
   * @throws IllegalArgumentException when the argument is not such an integer; the message names it
   */
  static int get(String[] args, int index, String name, int fallback, int min, int max) {
    if (index >= args.length) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(args[index].replace("_", ""));
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below, with the range
    }
    throw new IllegalArgumentException(
        name + " must be an integer from " + min + " to " + max + ": '" + args[index] + "'");
  }
}
