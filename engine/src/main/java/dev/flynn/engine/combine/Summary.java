package dev.flynn.engine.combine;

/**
 * The summary of a float range that {@link Combiner#summary} computes: every field is exact, so
 * every strategy, grain and thread count gives the same bits.
 *
 * @param count the values that are not NaN
 * @param nan the NaN values
 * @param min the least value that is not NaN, -0.0 below +0.0 (the order of {@link Float#compare});
 *     NaN when {@code count} is 0
 * @param max the greatest value that is not NaN, +0.0 above -0.0; NaN when {@code count} is 0
 * @param sum the exact sum of the values that are not NaN, rounded once to the nearest double (ties
 *     to even); +Inf or -Inf when infinities of one sign are present, NaN when both are; 0.0 (never
 *     -0.0) when no finite value is nonzero
 */
public record Summary(long count, long nan, float min, float max, double sum) {}
