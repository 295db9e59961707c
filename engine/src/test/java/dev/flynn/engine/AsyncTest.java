package dev.flynn.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.flynn.kernels.Comparison;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The asynchronous API: the same bits as the synchronous call in every mode, the typed twins and
 * {@code call} alike; a failure (bad argument, overflow, the work's own exception) reaches the
 * future as the original object; a synchronous call's contract for its arguments and outputs.
 */
@Timeout(60)
class AsyncTest {

  private static final int BLOCK = TestData.BLOCK;

  /**
   * Empty, one element, part of a block, a block, just over, several, an asynchronous AUTO fork.
   */
  private static final int[] LENGTHS = {0, 1, 1000, BLOCK, BLOCK + 1, 5 * BLOCK + 7, (1 << 18) + 5};

  /** The kernels also run at the longest length. */
  private static final Set<String> FORKING =
      Set.of("sum float", "exp float", "prefixSum float", "histogram float", "variance float");

  private static Flynn flynn;

  @BeforeAll
  static void start() {
    flynn = Flynn.builder().threads(3).build();
  }

  @AfterAll
  static void stop() {
    flynn.close();
  }

  static float[] floats(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (r.nextDouble(-4, 4));
    }
    return a;
  }

  static double[] doubles(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = r.nextDouble(-4, 4);
    }
    return a;
  }

  static int[] ints(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = r.nextInt();
    }
    return a;
  }

  /**
   * One kernel called both ways on its own outputs: {@code sync} through a {@link FlynnOps}, {@code
   * async} through the typed twin; each returns its result or its outputs.
   */
  record Case(
      String name,
      Function<FlynnOps, Object> sync,
      Function<AsyncFlynnOps, CompletableFuture<?>> async) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Case> cases(int n) {
    float[] x = floats(n, 11 + n);
    float[] y = floats(n, 12 + n);
    double[] d = doubles(n, 13 + n);
    int[] k = ints(n, 14 + n);
    List<Case> cases = new ArrayList<>();
    cases.add(new Case("sum float", ops -> ops.sum(x), as -> as.sum(x)));
    cases.add(new Case("dot float", ops -> ops.dot(x, y), as -> as.dot(x, y)));
    cases.add(new Case("min float (empty fails)", ops -> ops.min(x), as -> as.min(x)));
    cases.add(new Case("argmax float", ops -> ops.argmax(x), as -> as.argmax(x)));
    cases.add(new Case("variance float", ops -> ops.variance(x), as -> as.variance(x)));
    cases.add(new Case("norm2 double", ops -> ops.norm2(d), as -> as.norm2(d)));
    cases.add(new Case("sum double", ops -> ops.sum(d, 0, n), as -> as.sum(d, 0, n)));
    cases.add(new Case("sum int", ops -> ops.sum(k), as -> as.sum(k)));
    cases.add(
        new Case(
            "count float",
            ops -> ops.count(x, Comparison.LESS, 0.5f),
            as -> as.count(x, Comparison.LESS, 0.5f)));
    cases.add(
        new Case(
            "histogram float",
            ops -> ops.histogram(x, -3f, 3f, 37),
            as -> as.histogram(x, -3f, 3f, 37)));
    cases.add(
        new Case(
            "exp float",
            ops -> {
              float[] out = new float[n];
              ops.exp(x, out);
              return out;
            },
            as -> {
              float[] out = new float[n];
              return as.exp(x, out).thenApply(v -> out);
            }));
    cases.add(
        new Case(
            "axpy float",
            ops -> {
              float[] out = y.clone();
              ops.axpy(0.75f, x, out);
              return out;
            },
            as -> {
              float[] out = y.clone();
              return as.axpy(0.75f, x, out).thenApply(v -> out);
            }));
    cases.add(
        new Case(
            "prefixSum float",
            ops -> {
              float[] out = new float[n];
              ops.prefixSum(x, out);
              return out;
            },
            as -> {
              float[] out = new float[n];
              return as.prefixSum(x, out).thenApply(v -> out);
            }));
    cases.add(
        new Case(
            "prefixSum int",
            ops -> {
              long[] out = new long[n];
              ops.prefixSum(k, out);
              return out;
            },
            as -> {
              long[] out = new long[n];
              return as.prefixSum(k, out).thenApply(v -> out);
            }));
    cases.add(
        new Case(
            "tanh double",
            ops -> {
              double[] out = new double[n];
              ops.tanh(d, out);
              return out;
            },
            as -> {
              double[] out = new double[n];
              return as.tanh(d, out).thenApply(v -> out);
            }));
    int dim = 48;
    int rows = n / dim;
    cases.add(
        new Case(
            "cosineScores float",
            ops -> {
              float[] scores = new float[rows];
              ops.cosineScores(Arrays.copyOf(y, dim), x, rows, dim, scores);
              return scores;
            },
            as -> {
              float[] scores = new float[rows];
              return as.cosineScores(Arrays.copyOf(y, dim), x, rows, dim, scores)
                  .thenApply(v -> scores);
            }));
    return cases;
  }

  static Stream<Arguments> modeLengthCase() {
    List<Arguments> args = new ArrayList<>();
    for (int n : LENGTHS) {
      for (Case c : cases(n)) {
        if (n > (1 << 18) && !FORKING.contains(c.name)) {
          continue; // the longest length only for a few kernels of each shape: the suite stays fast
        }
        for (Mode mode : Mode.values()) {
          args.add(Arguments.of(mode, n, c));
        }
      }
    }
    return args.stream();
  }

  @ParameterizedTest(name = "{2} {0} n={1}")
  @MethodSource("modeLengthCase")
  void twinGivesTheSynchronousBits(Mode mode, int n, Case c) {
    Object expected;
    try {
      expected = c.sync.apply(flynn.using(mode));
    } catch (RuntimeException e) {
      // A call the synchronous API refuses fails the future with the same exception.
      Throwable cause =
          assertThrows(
                  ExecutionException.class, () -> c.async.apply(flynn.using(mode).async()).get())
              .getCause();
      assertEquals(e.getClass(), cause.getClass());
      assertEquals(e.getMessage(), cause.getMessage());
      return;
    }
    int ulps = jitSensitive(c.name, mode) ? 2 : 0;
    assertSameBits(expected, c.async.apply(flynn.async().using(mode)).join(), c.name, ulps);
    // call(...) runs the very same FlynnOps code: the same bits again.
    assertSameBits(
        expected, flynn.using(mode).async().call(c.sync).join(), c.name + " via call", ulps);
  }

  /**
   * The vector exp and tanh use the Vector API's EXP and TANH, whose C2 intrinsic and the Java
   * fallback that the interpreter and C1 run (Math.exp per lane) may differ in the last bit: which
   * one a call runs depends on how far the JIT has compiled its caller, not on the split, so two
   * calls of the same kernel, synchronous ones included, may differ by an ulp or two. Every other
   * kernel must give exactly the same bits.
   */
  static boolean jitSensitive(String kernel, Mode mode) {
    return (kernel.startsWith("exp") || kernel.startsWith("tanh")) && TestData.vectorClass(mode);
  }

  static void assertSameBits(Object expected, Object actual, String what) {
    assertSameBits(expected, actual, what, 0);
  }

  /** Equal bits; for float and double arrays, within {@code ulps} of the expected element. */
  static void assertSameBits(Object expected, Object actual, String what, int ulps) {
    switch (expected) {
      case Float f ->
          assertEquals(Float.floatToRawIntBits(f), Float.floatToRawIntBits((Float) actual), what);
      case Double v ->
          assertEquals(
              Double.doubleToRawLongBits(v), Double.doubleToRawLongBits((Double) actual), what);
      case float[] a -> {
        float[] b = (float[]) actual;
        assertEquals(a.length, b.length, what);
        for (int i = 0; i < a.length; i++) {
          if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])
              && !(Math.abs(a[i] - b[i]) <= ulps * Math.ulp(a[i]))) {
            fail(what + ": element " + i + " is " + b[i] + ", synchronously " + a[i]);
          }
        }
      }
      case double[] a -> {
        double[] b = (double[]) actual;
        assertEquals(a.length, b.length, what);
        for (int i = 0; i < a.length; i++) {
          if (Double.doubleToRawLongBits(a[i]) != Double.doubleToRawLongBits(b[i])
              && !(Math.abs(a[i] - b[i]) <= ulps * Math.ulp(a[i]))) {
            fail(what + ": element " + i + " is " + b[i] + ", synchronously " + a[i]);
          }
        }
      }
      case long[] a -> assertArrayEquals(a, (long[]) actual, what);
      default -> assertEquals(expected, actual, what); // Integer, Long, Histogram (value equality)
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void matricesAndSegmentsGiveTheSynchronousBits(Mode mode) {
    int m = 131;
    int n = 97;
    int k = 75;
    float[] a = floats(m * k, 1);
    float[] b = floats(k * n, 2);
    float[] c0 = floats(m * n, 3);
    float[] expected = c0.clone();
    flynn.using(mode).gemm(m, n, k, 0.5f, a, b, 1.25f, expected);
    float[] actual = c0.clone();
    flynn.using(mode).async().gemm(m, n, k, 0.5f, a, b, 1.25f, actual).join();
    assertSameBits(expected, actual, "gemm " + mode);

    double[] ad = doubles(m * k, 4);
    double[] xd = doubles(k, 5);
    double[] yd = new double[m];
    double[] yExpected = yd.clone();
    flynn.using(mode).gemv(m, k, 2.0, ad, xd, 0.0, yExpected);
    flynn.using(mode).async().gemv(m, k, 2.0, ad, xd, 0.0, yd).join();
    assertSameBits(yExpected, yd, "gemv " + mode);

    // The segment views are reached through call(...), and keep the same bits.
    float[] values = floats(3 * BLOCK + 11, 6);
    try (Arena arena = Arena.ofShared()) {
      MemorySegment s = arena.allocate((long) values.length * Float.BYTES, Float.BYTES);
      MemorySegment.copy(values, 0, s, ValueLayout.JAVA_FLOAT_UNALIGNED, 0, values.length);
      float sync = flynn.using(mode).floatSegments().sum(s);
      float async = flynn.using(mode).async().call(ops -> ops.floatSegments().sum(s)).join();
      assertEquals(Float.floatToRawIntBits(sync), Float.floatToRawIntBits(async), "segment sum");
    }
  }

  @Test
  void aCallMaySwitchModeAndStartFurtherCalls() {
    float[] x = floats(7 * BLOCK + 3, 21);
    float expectedMimd = flynn.using(Mode.MIMD).sum(x);
    float expectedSimd = flynn.using(Mode.SIMD).sum(x);
    float[] both =
        flynn
            .using(Mode.SISD)
            .async()
            .call(
                ops ->
                    new float[] {
                      ops.using(Mode.MIMD).sum(x), ops.using(Mode.SIMD).async().sum(x).join()
                    })
            .join();
    assertEquals(Float.floatToRawIntBits(expectedMimd), Float.floatToRawIntBits(both[0]));
    assertEquals(Float.floatToRawIntBits(expectedSimd), Float.floatToRawIntBits(both[1]));
  }

  // ---------------------------------------------------------------- failures

  @Test
  void theWorksOwnExceptionIsTheCauseItself() {
    IllegalArgumentException thrown = new IllegalArgumentException("mine");
    CompletableFuture<Float> f =
        flynn
            .async()
            .call(
                ops -> {
                  throw thrown;
                });
    ExecutionException e = assertThrows(ExecutionException.class, f::get);
    assertSame(thrown, e.getCause());
    CompletionException j = assertThrows(CompletionException.class, f::join);
    assertSame(thrown, j.getCause());
    assertTrue(f.isCompletedExceptionally());
  }

  @Test
  void aKernelFailureReachesTheFutureAsTheSynchronousCallThrowsIt() {
    long[] big = new long[3 * BLOCK];
    Arrays.fill(big, Long.MAX_VALUE / 4);
    ArithmeticException sync = assertThrows(ArithmeticException.class, () -> flynn.sum(big));
    for (Mode mode : Mode.values()) {
      Throwable cause =
          assertThrows(ExecutionException.class, () -> flynn.using(mode).async().sum(big).get())
              .getCause();
      assertInstanceOf(ArithmeticException.class, cause, mode.toString());
      assertEquals(sync.getMessage(), cause.getMessage());
    }
  }

  @Test
  void badArgumentsFailTheFutureBeforeAnythingIsWritten() {
    AsyncFlynnOps async = flynn.async();
    float[] a = floats(100, 7);
    float[] out = new float[100];
    Arrays.fill(out, Float.NaN);

    Throwable npe =
        assertThrows(ExecutionException.class, () -> async.sum((float[]) null).get()).getCause();
    assertInstanceOf(NullPointerException.class, npe);
    assertTrue(npe.getMessage().contains("a"), npe.getMessage());

    Throwable range =
        assertThrows(ExecutionException.class, () -> async.exp(a, 0, out, 50, 60).get()).getCause();
    assertInstanceOf(IndexOutOfBoundsException.class, range);
    assertTrue(range.getMessage().contains("out"), range.getMessage());
    for (float v : out) {
      assertTrue(Float.isNaN(v), "written before the check failed");
    }

    Throwable negative =
        assertThrows(ExecutionException.class, () -> async.sum(a, 0, -1).get()).getCause();
    assertInstanceOf(IllegalArgumentException.class, negative);

    // The work itself is checked at the call: a null function is the caller's mistake.
    assertThrows(NullPointerException.class, () -> async.call(null));
    assertThrows(NullPointerException.class, () -> async.run(null));
    assertThrows(NullPointerException.class, () -> flynn.async().using(null));
  }

  @Test
  void aConfinedSegmentFailsTheFutureWithWrongThreadException() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment s = arena.allocate(64L * Float.BYTES, Float.BYTES);
      Throwable cause =
          assertThrows(
                  ExecutionException.class,
                  () -> flynn.async().call(ops -> ops.floatSegments().sum(s)).get())
              .getCause();
      assertInstanceOf(WrongThreadException.class, cause);
    }
  }

  @Test
  void forcingTheFutureIsRefused() {
    CompletableFuture<Float> f = flynn.async().sum(new float[10]);
    f.join();
    assertThrows(UnsupportedOperationException.class, () -> f.obtrudeValue(1f));
    assertThrows(UnsupportedOperationException.class, () -> f.obtrudeException(new Error()));
    assertThrows(UnsupportedOperationException.class, () -> f.completeAsync(() -> 1f));
    assertEquals(0f, f.join());
  }

  // ---------------------------------------------------------------- many callers

  @Test
  void manyConcurrentCallsFromSeveralThreadsGiveTheSynchronousResults() throws Exception {
    int n = 3 * BLOCK + 5;
    float[][] inputs = new float[8][];
    float[] sums = new float[8];
    float[][] exps = new float[8][];
    for (int i = 0; i < 8; i++) {
      inputs[i] = floats(n, 100 + i);
      Mode mode = Mode.values()[i % Mode.values().length];
      sums[i] = flynn.using(mode).sum(inputs[i]);
      exps[i] = new float[n];
      flynn.using(mode).exp(inputs[i], exps[i]);
    }
    ExecutorService callers = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        done.add(
            callers.submit(
                () -> {
                  List<CompletableFuture<Void>> checks = new ArrayList<>();
                  for (int r = 0; r < 40; r++) {
                    int i = r % 8;
                    Mode mode = Mode.values()[i % Mode.values().length];
                    AsyncFlynnOps async = flynn.using(mode).async();
                    float[] out = new float[n];
                    checks.add(
                        async
                            .sum(inputs[i])
                            .thenCombine(async.exp(inputs[i], out), (s, v) -> s)
                            .thenAccept(
                                s -> {
                                  assertEquals(
                                      Float.floatToRawIntBits(sums[i]), Float.floatToRawIntBits(s));
                                  assertSameBits(
                                      exps[i], out, "exp " + i, jitSensitive("exp", mode) ? 2 : 0);
                                }));
                  }
                  CompletableFuture.allOf(checks.toArray(new CompletableFuture<?>[0])).join();
                }));
      }
      for (Future<?> f : done) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      callers.shutdownNow();
    }
    assertNotNull(flynn.async().sum(inputs[0]).get(10, TimeUnit.SECONDS));
  }
}
