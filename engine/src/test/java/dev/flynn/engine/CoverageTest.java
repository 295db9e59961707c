package dev.flynn.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Fails when {@link FlynnOps} gains a public kernel that no parameterised kernel test covers, or a
 * kernel that lacks one of its forms.
 *
 * <p>A kernel belongs to the element type of its first array parameter ({@code float[]}, {@code
 * double[]}, {@code int[]}, {@code long[]}); every such method's name must be in the {@code
 * KERNELS} set of one of that type's test classes, and every name in those sets must still exist.
 * Conversions ({@code toFloat}, {@code toDouble}: arrays of two types) are checked apart, against
 * {@link ConversionTest#KERNELS}. Each kernel comes in a whole-array form and a range form (per
 * result type: the histogram returns a record or adds into counts), and the range form gives every
 * array of the kernel's type an {@code int} offset right after it. Float and double offer the same
 * kernels. The modes are not a form here: every public method takes none and runs in the view's
 * mode, and each test class runs every kernel in every {@link Mode}.
 */
class CoverageTest {

  private static final Map<Class<?>, List<Set<String>>> TESTS =
      Map.of(
          float[].class,
          List.of(
              FloatReductionTest.KERNELS,
              FloatElementwiseTest.KERNELS,
              FloatMapTest.KERNELS,
              FloatStatisticsTest.KERNELS,
              FloatScanTest.KERNELS,
              HistogramTest.KERNELS,
              FloatSimilarityTest.KERNELS,
              GemmTest.KERNELS,
              GemvTest.KERNELS),
          double[].class,
          List.of(
              DoubleReductionTest.KERNELS,
              DoubleElementwiseTest.KERNELS,
              DoubleMapTest.KERNELS,
              DoubleStatisticsTest.KERNELS,
              DoubleScanTest.KERNELS,
              HistogramTest.KERNELS,
              DoubleSimilarityTest.KERNELS,
              GemmTest.KERNELS,
              GemvTest.KERNELS),
          int[].class,
          List.of(IntKernelTest.KERNELS),
          long[].class,
          List.of(LongKernelTest.KERNELS));

  @Test
  void everyKernelHasATestRowAndNoRowOutlivesItsKernel() {
    for (var entry : TESTS.entrySet()) {
      String type = entry.getKey().getSimpleName();
      Set<String> covered = new TreeSet<>();
      entry.getValue().forEach(covered::addAll);
      Set<String> kernels = names(kernels(entry.getKey()));
      assertFalse(kernels.isEmpty(), "found no " + type + " kernels: the reflection is broken");
      Set<String> missing = new TreeSet<>(kernels);
      missing.removeAll(covered);
      assertTrue(missing.isEmpty(), type + " kernels without tests: " + missing);
      Set<String> stale = new TreeSet<>(covered);
      stale.removeAll(kernels);
      assertTrue(stale.isEmpty(), "tests for " + type + " kernels that no longer exist: " + stale);
    }
  }

  @Test
  void everyKernelHasAWholeAndARangeFormAndTheRangeFormHasOffsets() {
    for (Class<?> type : TESTS.keySet()) {
      Map<String, List<Method>> forms = new TreeMap<>();
      for (Method m : kernels(type)) {
        forms
            .computeIfAbsent(
                m.getName() + " -> " + m.getReturnType().getSimpleName(), k -> new ArrayList<>())
            .add(m);
      }
      forms.forEach(
          (kernel, methods) -> {
            assertEquals(
                2, methods.size(), kernel + " over " + type.getSimpleName() + ": whole and range");
            Method range =
                methods.get(0).getParameterCount() > methods.get(1).getParameterCount()
                    ? methods.get(0)
                    : methods.get(1);
            assertTrue(
                everyArrayHasAnOffset(range, type),
                range + ": the range form gives every array an int offset right after it");
          });
    }
  }

  @Test
  void floatAndDoubleOfferTheSameKernels() {
    assertEquals(names(kernels(float[].class)), names(kernels(double[].class)));
  }

  @Test
  void everyConversionHasATestRowAndBothForms() {
    Map<String, Integer> forms = new TreeMap<>(); // "name(source->target)" -> forms
    for (Method m : publicMethods().filter(CoverageTest::conversion).toList()) {
      List<Class<?>> arrays = Arrays.stream(m.getParameterTypes()).filter(Class::isArray).toList();
      String key =
          m.getName()
              + "("
              + arrays.get(0).getSimpleName()
              + "->"
              + arrays.get(arrays.size() - 1).getSimpleName()
              + ")";
      forms.merge(key, 1, Integer::sum);
    }
    assertFalse(forms.isEmpty(), "found no conversions: the reflection is broken");
    forms.forEach((key, n) -> assertEquals(2, n, key + ": whole and range"));
    Set<String> names = new TreeSet<>();
    forms.keySet().forEach(key -> names.add(key.substring(0, key.indexOf('('))));
    assertEquals(ConversionTest.KERNELS, names, "conversions and their tests");
  }

  /** The public kernels over {@code type}: its arrays come first; conversions aside. */
  private static List<Method> kernels(Class<?> type) {
    return publicMethods().filter(m -> firstArray(m) == type && !conversion(m)).toList();
  }

  private static Stream<Method> publicMethods() {
    return Arrays.stream(FlynnOps.class.getMethods())
        .filter(m -> m.getDeclaringClass() == FlynnOps.class)
        .filter(m -> Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()));
  }

  private static Set<String> names(List<Method> methods) {
    Set<String> names = new HashSet<>();
    methods.forEach(m -> names.add(m.getName()));
    return new TreeSet<>(names);
  }

  /**
   * A conversion ({@code toFloat}, {@code toDouble}): its array parameters are not all of one type.
   * Other kernels may mix types too (the int prefix sum writes long[], the histogram counts into
   * long[]) and belong to the family of their first array.
   */
  private static boolean conversion(Method m) {
    return m.getName().startsWith("to")
        && Arrays.stream(m.getParameterTypes()).filter(Class::isArray).distinct().count() > 1;
  }

  private static Class<?> firstArray(Method m) {
    for (Class<?> p : m.getParameterTypes()) {
      if (p.isArray()) {
        return p;
      }
    }
    return null;
  }

  /**
   * Whether each {@code arrayType} parameter is followed by an int, its offset: true of every range
   * form, whatever else it takes (a length, or rows, dim and a row stride for the score kernels).
   */
  private static boolean everyArrayHasAnOffset(Method m, Class<?> arrayType) {
    Class<?>[] p = m.getParameterTypes();
    for (int i = 0; i < p.length; i++) {
      if (p[i] == arrayType && (i + 1 == p.length || p[i + 1] != int.class)) {
        return false;
      }
    }
    return true;
  }
}
