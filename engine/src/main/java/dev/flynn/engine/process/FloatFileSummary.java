package dev.flynn.engine.process;

/**
 * The sum, mean, least and greatest element of a file of little-endian floats, with the bits of the
 * engine's SIMD modes over the whole file: {@code sum} is {@code
 * flynn.using(Mode.SIMD).floatSegments().sum(segment)}, and likewise {@code mean}, {@code min},
 * {@code max} (see {@link dev.flynn.engine.FlynnOps#sum(float[])} for the rules and bounds).
 *
 * @param count floats in the file, at least 1
 * @param sum their sum, accumulated in double along the engine's tree, rounded once to float
 * @param mean the double sum over {@code count}, rounded once to float
 * @param min the least float (NaN when any is NaN; -0.0 below +0.0)
 * @param max the greatest float (NaN when any is NaN; +0.0 above -0.0)
 */
public record FloatFileSummary(long count, float sum, float mean, float min, float max) {

  static FloatFileSummary of(long count, ReductionParts.Partial total) {
    return new FloatFileSummary(
        count,
        (float) total.sum(),
        (float) (total.sum() / count),
        (float) total.min(),
        (float) total.max());
  }

  /** The four results' exact bits, in hex, for tables that must show two runs agree. */
  public String bits() {
    return String.format(
        "sum %08x mean %08x min %08x max %08x",
        Float.floatToRawIntBits(sum),
        Float.floatToRawIntBits(mean),
        Float.floatToRawIntBits(min),
        Float.floatToRawIntBits(max));
  }
}
