package dev.flynn.kernels;

/**
 * A comparison of an element {@code x} against a threshold or a second element {@code y}, as used
 * by {@code select} and {@code count}. It follows Java's (IEEE 754) comparison operators: any
 * comparison with NaN is false except {@link #NOT_EQUAL}, which is true; -0.0 equals +0.0.
 */
public enum Comparison {
  /** {@code x < y}. */
  LESS,
  /** {@code x <= y}. */
  LESS_OR_EQUAL,
  /** {@code x > y}. */
  GREATER,
  /** {@code x >= y}. */
  GREATER_OR_EQUAL,
  /** {@code x == y}. */
  EQUAL,
  /** {@code x != y} (true when either is NaN). */
  NOT_EQUAL;

  /** This comparison on floats, as Java's operator computes it. */
  public boolean test(float x, float y) {
    return test((double) x, (double) y);
  }

  /** This comparison on doubles, as Java's operator computes it. */
  public boolean test(double x, double y) {
    return switch (this) {
      case LESS -> x < y;
      case LESS_OR_EQUAL -> x <= y;
      case GREATER -> x > y;
      case GREATER_OR_EQUAL -> x >= y;
      case EQUAL -> x == y;
      case NOT_EQUAL -> x != y;
    };
  }

  /** This comparison on longs (and ints). */
  public boolean test(long x, long y) {
    return switch (this) {
      case LESS -> x < y;
      case LESS_OR_EQUAL -> x <= y;
      case GREATER -> x > y;
      case GREATER_OR_EQUAL -> x >= y;
      case EQUAL -> x == y;
      case NOT_EQUAL -> x != y;
    };
  }
}
