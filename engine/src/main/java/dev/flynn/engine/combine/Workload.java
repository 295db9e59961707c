package dev.flynn.engine.combine;

/**
 * What workers compute, as a vector of {@code long} slots that every strategy can combine: slots
 * {@code [0, adds)} are added, slots {@code [adds, adds + mins)} keep their minimum (a maximum is
 * kept as the minimum of the negated key). Additions of longs and minima are associative and
 * commutative, so the combined slots do not depend on which worker saw which element, nor on the
 * order the partials arrive in.
 */
abstract class Workload {

  /** Where an element's updates go: a plain array, atomics, or adders. */
  interface Slots {
    void add(int slot, long value);

    void min(int slot, long value);
  }

  /** Slots of a plain array: a worker's own partial, or a shared array under a lock. */
  static final class ArraySlots implements Slots {
    final long[] values;

    ArraySlots(long[] values) {
      this.values = values;
    }

    @Override
    public void add(int slot, long value) {
      values[slot] += value;
    }

    @Override
    public void min(int slot, long value) {
      if (value < values[slot]) {
        values[slot] = value;
      }
    }
  }

  final int adds;
  final int mins;

  Workload(int adds, int mins) {
    this.adds = adds;
    this.mins = mins;
  }

  int width() {
    return adds + mins;
  }

  /** A partial that holds nothing yet: zero sums, minima at {@code Long.MAX_VALUE}. */
  long[] identity() {
    long[] values = new long[width()];
    java.util.Arrays.fill(values, adds, width(), Long.MAX_VALUE);
    return values;
  }

  /** Resets {@code partial} to {@link #identity()}. */
  void clear(long[] partial) {
    java.util.Arrays.fill(partial, 0, adds, 0);
    java.util.Arrays.fill(partial, adds, width(), Long.MAX_VALUE);
  }

  /** Combines {@code partial} into {@code into}; the caller makes this exclusive. */
  void merge(long[] partial, long[] into) {
    for (int s = 0; s < adds; s++) {
      into[s] += partial[s];
    }
    for (int s = adds; s < width(); s++) {
      into[s] = Math.min(into[s], partial[s]);
    }
  }

  /** The updates of one element, the {@link Grain#FINE} path. */
  abstract void element(float x, Slots into);

  /** Adds the elements {@code a[from .. from + length)} to {@code partial}, the coarse path. */
  abstract void block(float[] a, int from, int length, long[] partial);
}
