package dev.flynn.engine.stream;

/** An elementwise map over doubles; see {@link FloatMap}. */
@FunctionalInterface
public interface DoubleMap {

  /** Writes {@code f(x[xOffset + i])} to {@code out[outOffset + i]} for {@code i < length}. */
  void apply(double[] x, int xOffset, double[] out, int outOffset, int length);
}
