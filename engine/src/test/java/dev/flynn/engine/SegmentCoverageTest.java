package dev.flynn.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Fails when an array kernel of {@link FlynnOps} has no segment form in {@link FloatSegments},
 * {@link DoubleSegments}, {@link IntSegments} or {@link LongSegments} (whole-segment and range
 * forms), unless it is in {@link #NOT_YET}; and when a segment kernel has no row in {@link
 * FloatSegmentsTest#KERNELS}, {@link DoubleSegmentsTest#KERNELS}, {@link IntSegmentsTest#KERNELS}
 * or {@link LongSegmentsTest#KERNELS}.
 */
class SegmentCoverageTest {

  /**
   * Array kernels that may still lack a segment form: the families merged after the segment API.
   * Shrink it as each gets its form (see {@link FloatSegments}: a direct kernel, or one {@code
   * stagedMap} call for a compute-bound map; docs/segments.md has the steps). A name here that
   * already has a segment form fails the test, so the list cannot go stale; names of kernels not
   * (yet) in FlynnOps are ignored.
   */
  static final Set<String> NOT_YET = Set.of();

  @Test
  void everyFloatArrayKernelHasASegmentForm() {
    checkSegmentForms(float[].class, FloatSegments.class);
  }

  @Test
  void everyDoubleArrayKernelHasASegmentForm() {
    checkSegmentForms(double[].class, DoubleSegments.class);
  }

  @Test
  void everyIntArrayKernelHasASegmentForm() {
    checkSegmentForms(int[].class, IntSegments.class);
  }

  @Test
  void everyLongArrayKernelHasASegmentForm() {
    checkSegmentForms(long[].class, LongSegments.class);
  }

  @Test
  void everyIntegerSegmentKernelHasATestRow() {
    assertEquals(segmentKernels(IntSegments.class), IntSegmentsTest.KERNELS);
    assertEquals(segmentKernels(LongSegments.class), LongSegmentsTest.KERNELS);
  }

  @Test
  void everySegmentKernelHasATestRow() {
    assertEquals(segmentKernels(FloatSegments.class), union(FloatSegmentsTest.KERNELS));
    assertEquals(segmentKernels(DoubleSegments.class), union(DoubleSegmentsTest.KERNELS));
    Set<String> floats = segmentKernels(FloatSegments.class);
    Set<String> doubles = segmentKernels(DoubleSegments.class);
    // each conversion lives in the view of the type it reads: toDouble in floats, toFloat in
    // doubles
    assertTrue(floats.remove("toDouble") && doubles.remove("toFloat"), "the conversions");
    assertEquals(floats, doubles);
  }

  private static void checkSegmentForms(Class<?> arrayType, Class<?> segmentsType) {
    Set<String> arrayKernels = arrayKernels(arrayType);
    assertFalse(arrayKernels.isEmpty(), "found no array kernels: the reflection is broken");
    Set<String> segmentKernels = segmentKernels(segmentsType);
    Set<String> missing = new TreeSet<>(arrayKernels);
    missing.removeAll(segmentKernels);
    missing.removeAll(NOT_YET);
    assertTrue(
        missing.isEmpty(), arrayType.getSimpleName() + " kernels without segments: " + missing);
    Set<String> stale = new TreeSet<>(NOT_YET);
    stale.retainAll(segmentKernels);
    assertTrue(stale.isEmpty(), "remove from NOT_YET, they have segment forms now: " + stale);
    Set<String> extra = new TreeSet<>(segmentKernels);
    extra.removeAll(arrayKernels);
    assertTrue(extra.isEmpty(), "segment kernels without an array kernel: " + extra);
    for (String kernel : segmentKernels) {
      int forms = 0;
      for (Method m : segmentsType.getMethods()) {
        if (m.getName().equals(kernel) && isKernel(m) && takesSegment(m)) {
          forms++;
        }
      }
      assertEquals(2, forms, kernel + " over segments: a whole-segment and a range form");
    }
  }

  /**
   * As {@link CoverageTest}: public kernel methods of FlynnOps whose first array parameter has the
   * type (so a conversion counts for the type it reads: {@code toDouble(float[], double[])} is a
   * float kernel).
   */
  private static Set<String> arrayKernels(Class<?> arrayType) {
    Set<String> names = new TreeSet<>();
    for (Method m : FlynnOps.class.getMethods()) {
      if (isKernel(m) && firstArray(m) == arrayType) {
        names.add(m.getName());
      }
    }
    return names;
  }

  private static Set<String> segmentKernels(Class<?> segmentsType) {
    Set<String> names = new TreeSet<>();
    for (Method m : segmentsType.getMethods()) {
      if (isKernel(m) && takesSegment(m)) {
        names.add(m.getName());
      }
    }
    return names;
  }

  private static boolean isKernel(Method m) {
    Class<?> r = m.getReturnType();
    return Modifier.isPublic(m.getModifiers())
        && !Modifier.isStatic(m.getModifiers())
        && (r == float.class
            || r == double.class
            || r == void.class
            || r == long.class
            || r == int.class);
  }

  private static Class<?> firstArray(Method m) {
    for (Class<?> p : m.getParameterTypes()) {
      if (p.isArray()) {
        return p;
      }
    }
    return null;
  }

  private static boolean takesSegment(Method m) {
    return Arrays.asList(m.getParameterTypes()).contains(MemorySegment.class);
  }

  /**
   * A family's segment test rows, with the matrix kernels that {@link MatrixSegmentsTest} covers.
   */
  private static Set<String> union(Set<String> rows) {
    Set<String> all = new java.util.TreeSet<>(rows);
    all.addAll(MatrixSegmentsTest.KERNELS);
    return all;
  }
}
