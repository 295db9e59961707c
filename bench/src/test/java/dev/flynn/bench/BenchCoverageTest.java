package dev.flynn.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flynn.engine.FlynnOps;
import dev.flynn.engine.Mode;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

/**
 * Fails when a public kernel of {@link FlynnOps} has no JMH benchmark, or when a benchmark cannot
 * be run in every mode. Kernels are found as engine's CoverageTest finds them: public non-static
 * methods whose first array parameter is of the element type (float, double, int, long). Each needs
 * a {@code @Benchmark} method of the same name in its type's suite ({@code FloatKernelBenchmark}
 * ...), except the matrix kernels, which {@link GemmBenchmark} measures ({@code gemm} for float,
 * {@code gemmDouble} for double). Conversions ({@code toFloat}, {@code toDouble}: arrays of two
 * types) are {@code convert} in the source type's suite, or {@code convertInts} in the target
 * type's suite when the source is int[].
 */
class BenchCoverageTest {

  private static final Map<Class<?>, Class<?>> SUITES =
      Map.of(
          float[].class, FloatKernelBenchmark.class,
          double[].class, DoubleKernelBenchmark.class,
          int[].class, IntKernelBenchmark.class,
          long[].class, LongKernelBenchmark.class);

  /** Measured by GemmBenchmark, not by the element suites. */
  private static final Set<String> MATRIX_KERNELS = Set.of("gemm", "gemv");

  /** The classes whose {@code mode} parameter must list every mode. */
  private static final List<Class<?>> MODE_BENCHMARKS =
      List.of(
          FloatKernelBenchmark.class,
          DoubleKernelBenchmark.class,
          IntKernelBenchmark.class,
          LongKernelBenchmark.class,
          GemmBenchmark.class,
          SimilarityBenchmark.class);

  @Test
  void everyFloatKernelHasABenchmark() {
    assertCovered(float[].class);
  }

  @Test
  void everyDoubleKernelHasABenchmark() {
    assertCovered(double[].class);
  }

  @Test
  void everyIntKernelHasABenchmark() {
    assertCovered(int[].class);
  }

  @Test
  void everyLongKernelHasABenchmark() {
    assertCovered(long[].class);
  }

  @Test
  void everyConversionHasABenchmark() {
    Set<String> missing = new TreeSet<>();
    int conversions = 0;
    for (Method m : FlynnOps.class.getMethods()) {
      if (Modifier.isStatic(m.getModifiers()) || !conversion(m)) {
        continue;
      }
      conversions++;
      List<Class<?>> arrays = arrays(m);
      Class<?> source = arrays.get(0);
      Class<?> target = arrays.get(arrays.size() - 1);
      Class<?> suite = source == int[].class ? SUITES.get(target) : SUITES.get(source);
      String method = source == int[].class ? "convertInts" : "convert";
      if (suite == null || !benchmarks(suite).contains(method)) {
        missing.add(
            m.getName()
                + "("
                + source.getSimpleName()
                + " -> "
                + target.getSimpleName()
                + "): no "
                + (suite == null ? "suite" : suite.getSimpleName())
                + "."
                + method);
      }
    }
    assertTrue(conversions > 0, "found no conversions: the reflection is broken");
    assertTrue(missing.isEmpty(), "conversions without a benchmark: " + missing);
  }

  @Test
  void everyBenchmarkWithAModeRunsInEveryMode() {
    List<String> all = Arrays.stream(Mode.values()).map(Mode::name).sorted().toList();
    for (Class<?> benchmark : MODE_BENCHMARKS) {
      Field mode;
      try {
        mode = benchmark.getField("mode");
      } catch (NoSuchFieldException e) {
        throw new AssertionError(benchmark.getSimpleName() + " has no public 'mode' field", e);
      }
      Param param = mode.getAnnotation(Param.class);
      assertTrue(param != null, benchmark.getSimpleName() + ".mode is not a @Param");
      assertEquals(
          all,
          Arrays.stream(param.value()).sorted().toList(),
          benchmark.getSimpleName() + ".mode must list every Mode");
    }
  }

  private static void assertCovered(Class<?> arrayType) {
    Set<String> kernels = kernels(arrayType);
    String type = arrayType.getComponentType().getSimpleName();
    assertFalse(kernels.isEmpty(), "found no " + type + " kernels: the reflection is broken");
    Set<String> suite = benchmarks(SUITES.get(arrayType));
    Set<String> gemm = benchmarks(GemmBenchmark.class);
    Set<String> missing = new TreeSet<>();
    for (String kernel : kernels) {
      boolean covered;
      if (MATRIX_KERNELS.contains(kernel)) {
        String method = arrayType == double[].class ? kernel + "Double" : kernel;
        covered = arrayType == float[].class || arrayType == double[].class;
        covered &= gemm.contains(method);
      } else {
        covered = suite.contains(kernel);
      }
      if (!covered) {
        missing.add(kernel);
      }
    }
    assertTrue(
        missing.isEmpty(),
        type
            + " kernels without a @Benchmark in "
            + SUITES.get(arrayType).getSimpleName()
            + " (or GemmBenchmark): "
            + missing);
  }

  /** The kernels over an element type: public non-static methods whose first array is of it. */
  private static Set<String> kernels(Class<?> arrayType) {
    Set<String> names = new TreeSet<>();
    for (Method m : FlynnOps.class.getMethods()) {
      List<Class<?>> arrays = arrays(m);
      if (Modifier.isPublic(m.getModifiers())
          && !Modifier.isStatic(m.getModifiers())
          && !arrays.isEmpty()
          && arrays.get(0) == arrayType
          && !conversion(m)) {
        names.add(m.getName());
      }
    }
    return names;
  }

  /** A conversion ({@code toFloat}, {@code toDouble}): its arrays are not all of one type. */
  private static boolean conversion(Method m) {
    return m.getName().startsWith("to") && arrays(m).stream().distinct().count() > 1;
  }

  private static List<Class<?>> arrays(Method m) {
    return Arrays.stream(m.getParameterTypes()).filter(Class::isArray).toList();
  }

  private static Set<String> benchmarks(Class<?> type) {
    Set<String> names = new TreeSet<>();
    for (Method m : type.getMethods()) {
      if (m.isAnnotationPresent(Benchmark.class)) {
        names.add(m.getName());
      }
    }
    return names;
  }
}
