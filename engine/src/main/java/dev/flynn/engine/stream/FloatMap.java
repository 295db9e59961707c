package dev.flynn.engine.stream;

/**
 * An elementwise map over floats in the form of the engine's range kernels, so that {@code
 * flynn::exp} or {@code (x, xo, out, oo, n) -> flynn.scale(2f, x, xo, out, oo, n)} is one. The
 * pipeline passes the same array as input and output, at the same offset (which every elementwise
 * kernel of the engine allows). Called on the consumer threads, several at once: it must be
 * thread-safe, as every engine is.
 */
@FunctionalInterface
public interface FloatMap {

  /** Writes {@code f(x[xOffset + i])} to {@code out[outOffset + i]} for {@code i < length}. */
  void apply(float[] x, int xOffset, float[] out, int outOffset, int length);
}
