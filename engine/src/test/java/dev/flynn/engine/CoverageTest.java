package dev.flynn.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Fails when FlynnOps gains a public kernel that no parameterised kernel test covers: every public
 * method taking a float[] must be named in {@link FloatReductionTest#KERNELS} or {@link
 * FloatElementwiseTest#KERNELS}, and likewise for double[].
 */
class CoverageTest {

  @Test
  void everyFloatKernelHasATestRow() {
    Set<String> covered = new HashSet<>(FloatReductionTest.KERNELS);
    covered.addAll(FloatElementwiseTest.KERNELS);
    covered.addAll(FloatScanTest.KERNELS);
    covered.addAll(HistogramTest.KERNELS);
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
    covered.addAll(DoubleScanTest.KERNELS);
    covered.addAll(HistogramTest.KERNELS);
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
        // Counted per return type: histogram has a Histogram form and an accumulating void form,
        // each with a whole-array and a range overload.
        Map<Class<?>, Integer> forms = new HashMap<>();
        for (Method m : FlynnOps.class.getMethods()) {
          if (m.getName().equals(kernel) && takes(m, type)) {
            forms.merge(m.getReturnType(), 1, Integer::sum);
          }
        }
        forms.forEach(
            (returns, count) ->
                assertEquals(
                    2,
                    count,
                    kernel
                        + " over "
                        + type.getSimpleName()
                        + " returning "
                        + returns
                        + ": whole and range"));
      }
    }
    assertEquals(kernelsTaking(float[].class), kernelsTaking(double[].class));
  }

  /**
   * Public methods of FlynnOps returning float, double, void or a {@link Histogram} that take an
   * array of type.
   */
  private static Set<String> kernelsTaking(Class<?> arrayType) {
    Set<String> names = new TreeSet<>();
    for (Method m : FlynnOps.class.getMethods()) {
      Class<?> r = m.getReturnType();
      boolean kernelReturn =
          r == float.class || r == double.class || r == void.class || r == Histogram.class;
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
