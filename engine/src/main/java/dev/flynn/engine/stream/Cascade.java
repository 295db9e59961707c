package dev.flynn.engine.stream;

/**
 * Combines partials that arrive in order along a tree fixed by their number alone: a binary counter
 * of heights. A new partial enters at height 0; while the two topmost partials have the same
 * height, they are combined (left before right) into one of the next height. At the end the
 * remaining ones are combined right to left. So n partials make a tree of depth about log2(n), the
 * same tree whatever their timing, in at most 64 slots: no allocation per partial.
 */
final class Cascade {

  /** Combines {@code left} and {@code right}, in data order, into {@code out}. */
  @FunctionalInterface
  interface Combiner {
    void combine(double[] left, int l, double[] right, int r, double[] out, int o);
  }

  private static final int LEVELS = 64;

  private final int width;
  private final Combiner combiner;
  private final double[] stack;
  private final int[] heights = new int[LEVELS];
  private int top;

  Cascade(int width, Combiner combiner) {
    this.width = width;
    this.combiner = combiner;
    this.stack = new double[LEVELS * width];
  }

  /** Adds the next partial in data order, from {@code from[at .. at + width)}. */
  void push(double[] from, int at) {
    System.arraycopy(from, at, stack, top * width, width);
    heights[top++] = 0;
    while (top >= 2 && heights[top - 1] == heights[top - 2]) {
      int left = (top - 2) * width;
      combiner.combine(stack, left, stack, left + width, stack, left);
      heights[top - 2]++;
      top--;
    }
  }

  /** Whether no partial was pushed. */
  boolean isEmpty() {
    return top == 0;
  }

  /** The combination of every partial into {@code out[at ..]}; needs at least one. */
  void result(double[] out, int at) {
    assert top > 0;
    for (int i = top - 2; i >= 0; i--) {
      combiner.combine(stack, i * width, stack, (i + 1) * width, stack, i * width);
    }
    System.arraycopy(stack, 0, out, at, width);
    top = 1;
    heights[0] = Integer.MAX_VALUE; // finished: a later push would not combine with it
  }
}
