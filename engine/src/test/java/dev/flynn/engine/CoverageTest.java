package dev.flynn.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Fails when FlynnOps gains a public kernel that no parameterised kernel test covers: every public
 * method taking a float[] must be named in {@link FloatReductionTest#KERNELS} or {@link
 * FloatElementwiseTest#KERNELS}, and likewise for double[]; every kernel over int[] or long[] must
 * be named in {@link IntKernelTest#KERNELS} or {@link LongKernelTest#KERNELS}.
 */
class CoverageTest {

  @Test
  void everyFloatKernelHasATestRow() {
    Set<String> covered = new HashSet<>(FloatReductionTest.KERNELS);
    covered.addAll(FloatElementwiseTest.KERNELS);
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
        int forms = 0;
        for (Method m : FlynnOps.class.getMethods()) {
          if (m.getName().equals(kernel) && takes(m, type)) {
            forms++;
          }
        }
        assertEquals(2, forms, kernel + " over " + type.getSimpleName() + ": whole and range");
      }
    }
    assertEquals(kernelsTaking(float[].class), kernelsTaking(double[].class));
  }

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
      if (!Modifier.isStatic(m.getModifiers()) && firstArray(m) == arrayType) {
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
      boolean kernelReturn = r == float.class || r == double.class || r == void.class;
      if (Modifier.isPublic(m.getModifiers())
          && !Modifier.isStatic(m.getModifiers())
          && kernelReturn
          && takes(m, arrayType)) {
        names.add(m.getName());
      }
    }
    return names;
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
