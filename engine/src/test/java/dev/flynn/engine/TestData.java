package dev.flynn.engine;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Shared parameters and seeded, cached input data for the kernel tests. Every array handed out is a
 * cached master: tests copy it before passing it to a kernel that writes.
 */
final class TestData {

  /** Float lanes per preferred vector in this JVM (16 with AVX-512). */
  static final int FLOAT_LANES = FloatVector.SPECIES_PREFERRED.length();

  /** Double lanes per preferred vector in this JVM (8 with AVX-512). */
  static final int DOUBLE_LANES = DoubleVector.SPECIES_PREFERRED.length();

  /** The block size of the deterministic split, restated so the tests do not trust the source. */
  static final int BLOCK = 16384;

  /** A length of about a million: many blocks, forks in every pooled mode, odd tail. */
  static final int LARGE = (1 << 20) + 13;

  static final int[] OFFSETS = {0, 1, 3};

  /** Whether HotSpot fuses multiply-adds in hardware; decides the axpy reference. */
  static final boolean USE_FMA =
      Boolean.parseBoolean(
          ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
              .getVMOption("UseFMA")
              .getValue());

  private static final Map<Object, Object> CACHE = new ConcurrentHashMap<>();

  private TestData() {}

  /** Lengths around the vector shape of a type with {@code lanes} lanes, and two long ones. */
  static int[] lengths(int lanes) {
    return new int[] {0, 1, lanes - 1, lanes, lanes + 1, 2 * lanes + 3, 4 * lanes - 1, 1001, LARGE};
  }

  /** Every mode x length x offset, as JUnit arguments {@code (Mode, int, int)}. */
  static Stream<Arguments> modeLengthOffset(int lanes) {
    List<Arguments> all = new ArrayList<>();
    for (Mode mode : Mode.values()) {
      for (int length : lengths(lanes)) {
        for (int offset : OFFSETS) {
          all.add(Arguments.of(mode, length, offset));
        }
      }
    }
    return all.stream();
  }

  /** Every value of {@code first} crossed with every mode x length x offset. */
  static Stream<Arguments> crossed(Object[] first, int lanes) {
    List<Arguments> all = new ArrayList<>();
    for (Object f : first) {
      modeLengthOffset(lanes)
          .forEach(
              a -> {
                Object[] rest = a.get();
                all.add(Arguments.of(f, rest[0], rest[1], rest[2]));
              });
    }
    return all.stream();
  }

  /** Data kinds; each draws a different distribution from its own seed. */
  enum Kind {
    /** Uniform in [-1, 1), multiples of 2^-23 (float) or 2^-52 (double). */
    UNIFORM,
    /** k / 256 for k in [-1000, 1000]: every partial sum of a sum is exactly representable. */
    DYADIC_SUM,
    /** k / 16 for k in [-15, 15]: every partial sum of a dot product is exactly representable. */
    DYADIC_DOT,
    /** Uniform mantissa times 2^e, e in [-20, 20], random sign: exercises rounding. */
    WIDE,
    /** Arguments for exp that stay finite and normal: [-87, 88] (float), [-708, 709] (double). */
    EXP_ARG,
  }

  private record Key(String type, Kind kind, int length, long seed) {}

  static float[] floats(Kind kind, int length, long seed) {
    return cached(
        new Key("float", kind, length, seed),
        k -> {
          SplittableRandom r = new SplittableRandom(seed * 1_000_003L + kind.ordinal());
          float[] a = new float[length];
          for (int i = 0; i < length; i++) {
            a[i] =
                switch (kind) {
                  case UNIFORM -> r.nextInt(1 << 24) * 0x1p-23f - 1f;
                  case DYADIC_SUM -> r.nextInt(-1000, 1001) / 256f;
                  case DYADIC_DOT -> r.nextInt(-15, 16) / 16f;
                  case WIDE ->
                      Math.scalb((r.nextInt(1 << 24) + 1) * 0x1p-24f, r.nextInt(-20, 21))
                          * (r.nextBoolean() ? 1 : -1);
                  case EXP_ARG -> (float) (r.nextDouble() * 175.0 - 87.0);
                };
          }
          return a;
        });
  }

  static double[] doubles(Kind kind, int length, long seed) {
    return cached(
        new Key("double", kind, length, seed),
        k -> {
          SplittableRandom r = new SplittableRandom(seed * 1_000_003L + kind.ordinal() + 77);
          double[] a = new double[length];
          for (int i = 0; i < length; i++) {
            a[i] =
                switch (kind) {
                  case UNIFORM -> (r.nextLong(1L << 53)) * 0x1p-52 - 1.0;
                  case DYADIC_SUM -> r.nextInt(-1000, 1001) / 256.0;
                  case DYADIC_DOT -> r.nextInt(-15, 16) / 16.0;
                  case WIDE ->
                      Math.scalb((r.nextLong(1L << 53) + 1) * 0x1p-53, r.nextInt(-20, 21))
                          * (r.nextBoolean() ? 1 : -1);
                  case EXP_ARG -> r.nextDouble() * 1417.0 - 708.0;
                };
          }
          return a;
        });
  }

  /** Caches anything derived from the data (references), under a key the caller makes unique. */
  @SuppressWarnings("unchecked")
  static <T> T cached(Object key, Function<Object, T> compute) {
    Object value = CACHE.get(key);
    if (value == null) {
      // computeIfAbsent would hold the map's bin lock during a long computation; a duplicate
      // computation in a race is harmless because the data are deterministic.
      value = compute.apply(key);
      Object previous = CACHE.putIfAbsent(key, value);
      if (previous != null) {
        value = previous;
      }
    }
    return (T) value;
  }

  /** Whether {@code mode} runs vector kernels in this JVM (the reassociating error bounds). */
  static boolean vectorClass(Mode mode) {
    return (mode == Mode.SIMD || mode == Mode.SIMD_MIMD || mode == Mode.AUTO)
        && Flynn.vectorActive();
  }

  /** Levels of the fixed combine tree over the blocks of {@code length}: ceil(log2(blocks)). */
  static int treeDepth(int length) {
    int blocks = (length + BLOCK - 1) / BLOCK;
    return blocks <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(blocks - 1);
  }

  /** A copy of {@code data} placed at {@code offset} in a longer array, guards all around. */
  static float[] padded(float[] data, int offset, float guard) {
    float[] a = new float[offset + data.length + 5];
    java.util.Arrays.fill(a, guard);
    System.arraycopy(data, 0, a, offset, data.length);
    return a;
  }

  static double[] padded(double[] data, int offset, double guard) {
    double[] a = new double[offset + data.length + 5];
    java.util.Arrays.fill(a, guard);
    System.arraycopy(data, 0, a, offset, data.length);
    return a;
  }
}
