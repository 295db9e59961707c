package dev.flynn.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Fails when a public {@link FlynnOps} kernel has no asynchronous twin in {@link AsyncFlynnOps}
 * (same name and parameters, a {@code CompletableFuture} of the boxed result), or when a twin
 * outlives its kernel. Regenerate with {@code python3 dev/generate-async-ops.py}.
 */
class AsyncCoverageTest {

  /** Public FlynnOps methods that are views or properties, not kernels. */
  private static final Set<String> NOT_KERNELS =
      Set.of(
          "mode",
          "using",
          "threads",
          "floatSegments",
          "doubleSegments",
          "intSegments",
          "longSegments",
          "stats",
          "async");

  /** AsyncFlynnOps's own methods, not twins. */
  private static final Set<String> OWN = Set.of("mode", "using", "call", "run");

  private static final Map<Class<?>, Class<?>> BOXED =
      Map.of(
          void.class, Void.class,
          float.class, Float.class,
          double.class, Double.class,
          int.class, Integer.class,
          long.class, Long.class,
          boolean.class, Boolean.class);

  @Test
  void everyKernelHasAnAsynchronousTwin() throws ReflectiveOperationException {
    Set<String> missing = new TreeSet<>();
    int kernels = 0;
    for (Method m : FlynnOps.class.getDeclaredMethods()) {
      if (!isKernel(m)) {
        continue;
      }
      kernels++;
      Method twin;
      try {
        twin = AsyncFlynnOps.class.getMethod(m.getName(), m.getParameterTypes());
      } catch (NoSuchMethodException e) {
        missing.add(describe(m));
        continue;
      }
      assertEquals(CompletableFuture.class, twin.getReturnType(), describe(twin));
      Type result = ((ParameterizedType) twin.getGenericReturnType()).getActualTypeArguments()[0];
      Class<?> expected = BOXED.getOrDefault(m.getReturnType(), m.getReturnType());
      assertEquals(expected, result, "the future's type of " + describe(twin));
    }
    assertTrue(kernels > 200, "found only " + kernels + " kernels: is the filter wrong?");
    assertTrue(
        missing.isEmpty(),
        "kernels without an asynchronous twin (run python3 dev/generate-async-ops.py): " + missing);
  }

  @Test
  void everyTwinStillHasItsKernel() {
    Set<String> stale = new TreeSet<>();
    for (Method twin : AsyncFlynnOps.class.getDeclaredMethods()) {
      if (!Modifier.isPublic(twin.getModifiers())
          || Modifier.isStatic(twin.getModifiers())
          || OWN.contains(twin.getName())
          || twin.getName().equals("toString")) {
        continue;
      }
      try {
        Method m = FlynnOps.class.getMethod(twin.getName(), twin.getParameterTypes());
        assertTrue(isKernel(m), describe(m));
      } catch (NoSuchMethodException e) {
        stale.add(describe(twin));
      }
    }
    assertTrue(stale.isEmpty(), "twins of kernels FlynnOps no longer has: " + stale);
  }

  private static boolean isKernel(Method m) {
    return m.getDeclaringClass() == FlynnOps.class
        && Modifier.isPublic(m.getModifiers())
        && !Modifier.isStatic(m.getModifiers())
        && !m.isSynthetic()
        && !NOT_KERNELS.contains(m.getName());
  }

  private static String describe(Method m) {
    return m.getName()
        + Arrays.stream(m.getParameterTypes())
            .map(Class::getSimpleName)
            .collect(Collectors.joining(", ", "(", ")"));
  }
}
