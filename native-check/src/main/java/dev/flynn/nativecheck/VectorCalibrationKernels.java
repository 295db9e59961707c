package dev.flynn.nativecheck;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector calibration loops on the preferred species. Loaded by name from {@link Calibration} only
 * when {@link VectorSupport} finds the Vector API active.
 */
final class VectorCalibrationKernels implements CalibrationKernels {

  private static final VectorSpecies<Float> FLOAT_SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int LANES = FLOAT_SPECIES.length();

  /**
   * Independent FMA chains: Zen 4/5 and Intel server cores have 2 FMA ports with a latency of 4, so
   * 8 chains keep both busy; 12 leave headroom for a latency of 5 or 6.
   */
  private static final int CHAINS = 12;

  VectorCalibrationKernels() {}

  @Override
  public float sum(float[] a) {
    // Eight accumulators: two loads per cycle times an add latency of up to 4 cycles.
    FloatVector s0 = FloatVector.zero(FLOAT_SPECIES);
    FloatVector s1 = s0;
    FloatVector s2 = s0;
    FloatVector s3 = s0;
    FloatVector s4 = s0;
    FloatVector s5 = s0;
    FloatVector s6 = s0;
    FloatVector s7 = s0;
    int i = 0;
    for (; i + 8 * LANES <= a.length; i += 8 * LANES) {
      s0 = s0.add(FloatVector.fromArray(FLOAT_SPECIES, a, i));
      s1 = s1.add(FloatVector.fromArray(FLOAT_SPECIES, a, i + LANES));
      s2 = s2.add(FloatVector.fromArray(FLOAT_SPECIES, a, i + 2 * LANES));
      s3 = s3.add(FloatVector.fromArray(FLOAT_SPECIES, a, i + 3 * LANES));
      s4 = s4.add(FloatVector.fromArray(FLOAT_SPECIES, a, i + 4 * LANES));
      s5 = s5.add(FloatVector.fromArray(FLOAT_SPECIES, a, i + 5 * LANES));
      s6 = s6.add(FloatVector.fromArray(FLOAT_SPECIES, a, i + 6 * LANES));
      s7 = s7.add(FloatVector.fromArray(FLOAT_SPECIES, a, i + 7 * LANES));
    }
    float s =
        s0.add(s1).add(s2.add(s3)).add(s4.add(s5).add(s6.add(s7))).reduceLanes(VectorOperators.ADD);
    // scalar tail
    for (; i < a.length; i++) {
      s += a[i];
    }
    return s;
  }

  @Override
  public float multiplyAddChains(long iterations) {
    FloatVector x = FloatVector.broadcast(FLOAT_SPECIES, 0.999_999f);
    FloatVector y = FloatVector.broadcast(FLOAT_SPECIES, 1e-7f);
    FloatVector c0 = FloatVector.broadcast(FLOAT_SPECIES, 1);
    FloatVector c1 = FloatVector.broadcast(FLOAT_SPECIES, 2);
    FloatVector c2 = FloatVector.broadcast(FLOAT_SPECIES, 3);
    FloatVector c3 = FloatVector.broadcast(FLOAT_SPECIES, 4);
    FloatVector c4 = FloatVector.broadcast(FLOAT_SPECIES, 5);
    FloatVector c5 = FloatVector.broadcast(FLOAT_SPECIES, 6);
    FloatVector c6 = FloatVector.broadcast(FLOAT_SPECIES, 7);
    FloatVector c7 = FloatVector.broadcast(FLOAT_SPECIES, 8);
    FloatVector c8 = FloatVector.broadcast(FLOAT_SPECIES, 9);
    FloatVector c9 = FloatVector.broadcast(FLOAT_SPECIES, 10);
    FloatVector c10 = FloatVector.broadcast(FLOAT_SPECIES, 11);
    FloatVector c11 = FloatVector.broadcast(FLOAT_SPECIES, 12);
    for (long r = 0; r < iterations; r++) {
      c0 = c0.fma(x, y);
      c1 = c1.fma(x, y);
      c2 = c2.fma(x, y);
      c3 = c3.fma(x, y);
      c4 = c4.fma(x, y);
      c5 = c5.fma(x, y);
      c6 = c6.fma(x, y);
      c7 = c7.fma(x, y);
      c8 = c8.fma(x, y);
      c9 = c9.fma(x, y);
      c10 = c10.fma(x, y);
      c11 = c11.fma(x, y);
    }
    return c0.add(c1)
        .add(c2.add(c3))
        .add(c4.add(c5).add(c6.add(c7)))
        .add(c8.add(c9).add(c10.add(c11)))
        .reduceLanes(VectorOperators.ADD);
  }

  @Override
  public long flopsPerRound() {
    return 2L * CHAINS * LANES;
  }

  @Override
  public double dot(float[] a, float[] b) {
    FloatVector s0 = FloatVector.zero(FLOAT_SPECIES);
    FloatVector s1 = s0;
    FloatVector s2 = s0;
    FloatVector s3 = s0;
    int i = 0;
    for (; i + 4 * LANES <= a.length; i += 4 * LANES) {
      s0 =
          FloatVector.fromArray(FLOAT_SPECIES, a, i)
              .fma(FloatVector.fromArray(FLOAT_SPECIES, b, i), s0);
      s1 =
          FloatVector.fromArray(FLOAT_SPECIES, a, i + LANES)
              .fma(FloatVector.fromArray(FLOAT_SPECIES, b, i + LANES), s1);
      s2 =
          FloatVector.fromArray(FLOAT_SPECIES, a, i + 2 * LANES)
              .fma(FloatVector.fromArray(FLOAT_SPECIES, b, i + 2 * LANES), s2);
      s3 =
          FloatVector.fromArray(FLOAT_SPECIES, a, i + 3 * LANES)
              .fma(FloatVector.fromArray(FLOAT_SPECIES, b, i + 3 * LANES), s3);
    }
    double s = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
    // scalar tail
    for (; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }

  @Override
  public String name() {
    return "vector-" + FLOAT_SPECIES.vectorBitSize();
  }
}
