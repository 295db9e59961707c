package dev.flynn.engine;

/**
 * Argument checks at the public door. Every message names the argument and its values; every check
 * runs before anything is written.
 */
final class Check {

  private Check() {}

  static <T> T notNull(String name, T value) {
    if (value == null) {
      throw new NullPointerException(name + " is null");
    }
    return value;
  }

  /** Checks that {@code [offset, offset + length)} lies inside {@code array}. */
  static void range(String name, float[] array, int offset, int length) {
    range(name, notNull(name, array).length, offset, length);
  }

  static void range(String name, double[] array, int offset, int length) {
    range(name, notNull(name, array).length, offset, length);
  }

  static void range(String name, int[] array, int offset, int length) {
    range(name, notNull(name, array).length, offset, length);
  }

  static void range(String name, long[] array, int offset, int length) {
    range(name, notNull(name, array).length, offset, length);
  }

  private static void range(String name, int arrayLength, int offset, int length) {
    if (length < 0) {
      throw new IllegalArgumentException("length is negative: " + length);
    }
    if (offset < 0 || offset > arrayLength - length) {
      throw new IndexOutOfBoundsException(
          name
              + ": offset "
              + offset
              + " and length "
              + length
              + " do not fit in an array of length "
              + arrayLength);
    }
  }

  /** Checks that whole-array arguments have the same length as the first one. */
  static int sameLength(String firstName, int firstLength, String name, int length) {
    if (length != firstLength) {
      throw new IllegalArgumentException(
          "length mismatch: "
              + firstName
              + ".length="
              + firstLength
              + ", "
              + name
              + ".length="
              + length);
    }
    return firstLength;
  }

  /**
   * An output may be the very same range as an input (same array, same offset), but not a shifted
   * window of it: the vector and parallel forms would then read values already overwritten.
   */
  static void noPartialOverlap(
      String inName, Object in, int inOffset, String outName, Object out, int outOffset, int len) {
    if (in == out && inOffset != outOffset && len > 0 && Math.abs(inOffset - outOffset) < len) {
      throw new IllegalArgumentException(
          outName
              + " overlaps "
              + inName
              + " without being the same range: "
              + inName
              + "=["
              + inOffset
              + ", "
              + (inOffset + len)
              + ") and "
              + outName
              + "=["
              + outOffset
              + ", "
              + (outOffset + len)
              + ") of the same array");
    }
  }

  static void notEmpty(String operation, String name, int length) {
    if (length == 0) {
      throw new IllegalArgumentException(
          operation + " of an empty range is undefined: " + name + " has length 0");
    }
  }

  /** Checks that a range has at least {@code minimum} elements, for statistics that need them. */
  static void atLeast(String operation, String name, int length, int minimum) {
    if (length < minimum) {
      throw new IllegalArgumentException(
          operation
              + " needs at least "
              + minimum
              + " elements: "
              + name
              + " has length "
              + length);
    }
  }
}
