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
import org.junit.jupiter.api.Test;

/**
 * Fails when FlynnOps gains a public kernel that no parameterised kernel test covers: every public
 * method taking a float[] must be named in {@link FloatReductionTest#KERNELS} or {@link
 * FloatElementwiseTest#KERNELS}, and likewise for double[]. Conversions (methods whose arrays are
 * of different types, such as {@code toDouble(float[], double[])}) are checked apart, against
 * {@link ConversionTest#KERNELS}. A kernel is found by what it takes (an array of the type), not by
 * its arity, so kernels over a matrix with extra ints (the score kernels) count too; their range
 * form must give every array an offset. FloatElementwiseTest#KERNELS}, and likewise for double[];
 * every kernel over int[] or long[] must be named in {@link IntKernelTest#KERNELS} or {@link
 * LongKernelTest#KERNELS}.
 */
class CoverageTest {

  @Test
  void everyFloatKernelHasATestRow() {
    Set<String> covered = new HashSet<>(FloatReductionTest.KERNELS);
    covered.addAll(FloatElementwiseTest.KERNELS);
    covered.addAll(FloatMapTest.KERNELS);
    covered.addAll(FloatStatisticsTest.KERNELS);
    covered.addAll(FloatSimilarityTest.KERNELS);
    covered.addAll(GemmTest.KERNELS); // both types, in one class
    covered.addAll(GemvTest.KERNELS);
    Set<String> kernels = kernelsTaking(float[].class);
    assertFalse(kernels.isEmpty(), "found no float kernels: the reflection is broken");
    Set<String> missing = new TreeSet<>(kernels);
    missing.removeAll(covered);
    assertTrue(missing.isEmpty(), "float kernels without tests: " + missing);
    assertEquals(kernels, covered, "tests for kernels that no longer exist");
  }

  @Test
  void everyDoubleKernelHasATestRow() {
    Set<String> covered = new HashSet<>(DoubleReductionTest.KERNELS);
    covered.addAll(DoubleElementwiseTest.KERNELS);
    covered.addAll(DoubleMapTest.KERNELS);
    covered.addAll(DoubleStatisticsTest.KERNELS);
    covered.addAll(DoubleSimilarityTest.KERNELS);
    covered.addAll(GemmTest.KERNELS);
    covered.addAll(GemvTest.KERNELS);
    Set<String> kernels = kernelsTaking(double[].class);
    assertFalse(kernels.isEmpty(), "found no double kernels: the reflection is broken");
    Set<String> missing = new TreeSet<>(kernels);
    missing.removeAll(covered);
    assertTrue(missing.isEmpty(), "double kernels without tests: " + missing);
    assertEquals(kernels, covered, "tests for kernels that no longer exist");
  }

  @Test
  void everyKernelIsOfferedForBothTypesWithWholeArrayAndRangeForms() {
    for (Class<?> type : new Class<?>[] {float[].class, double[].class}) {
      for (String kernel : kernelsTaking(type)) {
        List<Method> forms = new ArrayList<>();
        for (Method m : FlynnOps.class.getMethods()) {
          if (m.getName().equals(kernel) && takes(m, type)) {
            forms.add(m);
          }
        }
        assertEquals(2, forms.size(), kernel + " over " + type.getSimpleName() + ": whole, range");
        Method range =
            forms.get(0).getParameterCount() > forms.get(1).getParameterCount()
                ? forms.get(0)
                : forms.get(1);
        assertTrue(
            everyArrayHasAnOffset(range, type),
            range + ": the range form gives every array an int offset right after it");
      }
    }
    assertEquals(kernelsTaking(float[].class), kernelsTaking(double[].class));
  }

  /**
   * Public methods of FlynnOps that take an array of type and return a kernel's result: float,
   * double, int (a position), long (a count) or void.
   */
  @Test
  void everyIntKernelHasATestRowAndBothForms() {
    checkIntegerKernels(int[].class, IntKernelTest.KERNELS);
  }

  @Test
  void everyLongKernelHasATestRowAndBothForms() {
    checkIntegerKernels(long[].class, LongKernelTest.KERNELS);
  }

  /**
   * The kernels over an integer array type are the public methods whose first array parameter has
   * that type (whatever they return: sums are long, argmin an int); each needs a test row and a
   * whole-array and a range form.
   */
  private static void checkIntegerKernels(Class<?> arrayType, Set<String> covered) {
    Map<String, Integer> forms = new TreeMap<>();
    for (Method m : FlynnOps.class.getMethods()) {
      if (!Modifier.isStatic(m.getModifiers()) && firstArray(m) == arrayType && !conversion(m)) {
        forms.merge(m.getName(), 1, Integer::sum);
      }
    }
    String type = arrayType.getSimpleName();
    assertFalse(forms.isEmpty(), "found no " + type + " kernels: the reflection is broken");
    Set<String> missing = new TreeSet<>(forms.keySet());
    missing.removeAll(covered);
    assertTrue(missing.isEmpty(), type + " kernels without tests: " + missing);
    assertEquals(forms.keySet(), covered, "tests for " + type + " kernels that no longer exist");
    forms.forEach((k, n) -> assertEquals(2, n, k + " over " + type + ": whole and range"));
  }

  private static Class<?> firstArray(Method m) {
    for (Class<?> p : m.getParameterTypes()) {
      if (p.isArray()) {
        return p;
      }
    }
    return null;
  }

  /** Public methods of FlynnOps returning float, double or void that take an array of type. */
  private static Set<String> kernelsTaking(Class<?> arrayType) {
    Set<String> names = new TreeSet<>();
    for (Method m : FlynnOps.class.getMethods()) {
      Class<?> r = m.getReturnType();
      boolean kernelReturn =
          r == float.class
              || r == double.class
              || r == int.class
              || r == long.class
              || r == void.class;
      if (Modifier.isPublic(m.getModifiers())
          && !Modifier.isStatic(m.getModifiers())
          && kernelReturn
          && takes(m, arrayType)
          && !conversion(m)) {
        names.add(m.getName());
      }
    }
    return names;
  }

  @Test
  void everyConversionHasATestRowAndBothForms() {
    Map<String, Integer> forms = new TreeMap<>(); // "name(source->target)" -> forms
    for (Method m : FlynnOps.class.getMethods()) {
      if (conversion(m) && !Modifier.isStatic(m.getModifiers())) {
        List<Class<?>> arrays =
            Arrays.stream(m.getParameterTypes()).filter(Class::isArray).toList();
        String key =
            m.getName()
                + "("
                + arrays.get(0).getSimpleName()
                + "->"
                + arrays.get(arrays.size() - 1).getSimpleName()
                + ")";
        forms.merge(key, 1, Integer::sum);
      }
    }
    assertFalse(forms.isEmpty(), "found no conversions: the reflection is broken");
    forms.forEach((key, n) -> assertEquals(2, n, key + ": whole and range"));
    Set<String> names = new TreeSet<>();
    forms.keySet().forEach(key -> names.add(key.substring(0, key.indexOf('('))));
    assertEquals(ConversionTest.KERNELS, names, "conversions and their tests");
  }

  /**
   * A conversion ({@code toFloat}, {@code toDouble}): its array parameters are not all of one type.
   * Other kernels may mix types too (the int scan writes long[]) and are covered by their family.
   */
  private static boolean conversion(Method m) {
    return m.getName().startsWith("to")
        && Arrays.stream(m.getParameterTypes()).filter(Class::isArray).distinct().count() > 1;
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

  private static boolean takes(Method m, Class<?> arrayType) {
    for (Class<?> p : m.getParameterTypes()) {
      if (p == arrayType) {
        return true;
      }
    }
    return false;
  }
}
