package dev.flynn.bench;

import dev.flynn.engine.FloatSegments;
import dev.flynn.engine.Flynn;
import dev.flynn.engine.FlynnOps;
import dev.flynn.engine.HugePages;
import dev.flynn.engine.MappedFile;
import dev.flynn.engine.Mode;
import dev.flynn.kernels.Comparison;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The memory-bound float kernels over three storages of the same values: Java arrays, native
 * segments ({@link HugePages#allocate} in an {@code Arena.ofShared()}: on huge pages where Linux
 * offers them, as the forks' heaps are) and memory-mapped files in the fork's {@code
 * java.io.tmpdir} (inputs mapped read-only, outputs read-write; each file is written, then dropped
 * from the page cache with {@link MappedFile#dropFromPageCache}, so that its mapping reads it in on
 * huge pages, as a cold file would be). At a DRAM size the three should run at the memory's speed;
 * the segment forms are held to within 10% of the arrays. Each kernel is checked against a naive
 * loop before timing, over the storage being timed.
 *
 * <pre>
 * ./flynn jmh SegmentBenchmark -p size=16777216 -p mode=SIMD
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {
      "--add-modules=jdk.incubator.vector",
      "--enable-native-access=ALL-UNNAMED",
      "-Xms2g",
      "-Xmx2g"
    })
public class SegmentBenchmark {

  /** Where the operands live. */
  public enum Storage {
    ARRAY,
    NATIVE,
    MAPPED
  }

  /** Floats per operand: 16 Mi floats is 64 MiB, past the last-level cache of most machines. */
  @Param("16777216")
  public int size;

  @Param({"SIMD", "SISD"})
  public Mode mode;

  @Param({"ARRAY", "NATIVE", "MAPPED"})
  public Storage storage;

  /** Threads sharing a pooled call; 0 means one per available processor. */
  @Param("0")
  public int threads;

  /** Non-final so that the JIT cannot fold it. */
  public float alpha = 1e-3f;

  private Flynn flynn;
  private FlynnOps ops;
  private FloatSegments segments;
  private float[] a;
  private float[] b;
  private float[] c;
  private float[] out;
  private MemorySegment sa;
  private MemorySegment sb;
  private MemorySegment sc;
  private MemorySegment sout;
  private Arena arena;
  private final List<MappedFile> files = new ArrayList<>();
  private final List<Path> paths = new ArrayList<>();

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) throws IOException {
    flynn = Engines.start(threads);
    ops = flynn.using(mode);
    segments = ops.floatSegments();
    SplittableRandom random = new SplittableRandom(42);
    a = new float[size];
    b = new float[size];
    c = new float[size];
    out = new float[size];
    for (int i = 0; i < size; i++) {
      a[i] = (float) (random.nextDouble() * 2 - 1);
      b[i] = (float) (0.5 + random.nextDouble());
      c[i] = (float) (random.nextDouble() * 2 - 1);
    }
    switch (storage) {
      case ARRAY -> {}
      case NATIVE -> {
        arena = Arena.ofShared();
        sa = nativeCopy(a);
        sb = nativeCopy(b);
        sc = nativeCopy(c);
        sout = nativeCopy(out);
      }
      case MAPPED -> {
        sa = mapped(a, false);
        sb = mapped(b, false);
        sc = mapped(c, true);
        sout = mapped(out, true);
      }
    }
    String benchmark = params.getBenchmark();
    verify(benchmark.substring(benchmark.lastIndexOf('.') + 1));
  }

  private MemorySegment nativeCopy(float[] values) {
    MemorySegment s = HugePages.allocate(arena, 4L * values.length); // as the heap: huge pages
    MemorySegment.copy(values, 0, s, FloatSegments.LAYOUT, 0, values.length);
    return s;
  }

  private MemorySegment mapped(float[] values, boolean writable) throws IOException {
    Path path = Files.createTempFile("flynn-segment-benchmark", ".f32");
    paths.add(path);
    try (MappedFile writer = MappedFile.readWrite(sized(path, 4L * values.length))) {
      MemorySegment.copy(values, 0, writer.segment(), FloatSegments.LAYOUT, 0, values.length);
      writer.segment().force();
    }
    MappedFile.dropFromPageCache(path); // read in afresh on huge pages (see MappedFile)
    MappedFile file = writable ? MappedFile.readWrite(path) : MappedFile.readOnly(path);
    files.add(file);
    return file.segment();
  }

  private static Path sized(Path path, long bytes) throws IOException {
    try (var file = new java.io.RandomAccessFile(path.toFile(), "rw")) {
      file.setLength(bytes);
    }
    return path;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    flynn.close();
    files.forEach(MappedFile::close);
    if (arena != null) {
      arena.close();
    }
    for (Path path : paths) {
      try {
        Files.deleteIfExists(path);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @Benchmark
  public float sum() {
    return sa == null ? ops.sum(a) : segments.sum(sa);
  }

  @Benchmark
  public float dot() {
    return sa == null ? ops.dot(a, b) : segments.dot(sa, sb);
  }

  @Benchmark
  public float min() {
    return sa == null ? ops.min(a) : segments.min(sa);
  }

  @Benchmark
  public float max() {
    return sa == null ? ops.max(a) : segments.max(sa);
  }

  @Benchmark
  public Object add() {
    if (sa == null) {
      ops.add(a, b, out);
      return out;
    }
    segments.add(sa, sb, sout);
    return sout;
  }

  @Benchmark
  public Object sub() {
    if (sa == null) {
      ops.sub(a, b, out);
      return out;
    }
    segments.sub(sa, sb, sout);
    return sout;
  }

  @Benchmark
  public Object mul() {
    if (sa == null) {
      ops.mul(a, b, out);
      return out;
    }
    segments.mul(sa, sb, sout);
    return sout;
  }

  @Benchmark
  public Object scale() {
    if (sa == null) {
      ops.scale(alpha, a, out);
      return out;
    }
    segments.scale(alpha, sa, sout);
    return sout;
  }

  @Benchmark
  public Object axpy() {
    if (sa == null) {
      ops.axpy(alpha, a, c);
      return c;
    }
    segments.axpy(alpha, sa, sc);
    return sc;
  }

  /** The staged path: exp copies each block into a heap buffer and back. */
  @Benchmark
  public Object exp() {
    if (sa == null) {
      ops.exp(a, out);
      return out;
    }
    segments.exp(sa, sout);
    return sout;
  }

  // The kernels made direct after the first twelve (issue 5): maps, a select, reductions, the scan.

  @Benchmark
  public Object neg() {
    if (sa == null) {
      ops.neg(a, out);
      return out;
    }
    segments.neg(sa, sout);
    return sout;
  }

  /** Direct too: at a DRAM size the memory, not the square root, should set the pace. */
  @Benchmark
  public Object sqrt() {
    if (sa == null) {
      ops.sqrt(b, out);
      return out;
    }
    segments.sqrt(sb, sout);
    return sout;
  }

  @Benchmark
  public Object relu() {
    if (sa == null) {
      ops.relu(a, out);
      return out;
    }
    segments.relu(sa, sout);
    return sout;
  }

  @Benchmark
  public Object minimum() {
    if (sa == null) {
      ops.minimum(a, b, out);
      return out;
    }
    segments.minimum(sa, sb, sout);
    return sout;
  }

  /** Three inputs and an output: the most streams of the maps. */
  @Benchmark
  public Object select() {
    if (sa == null) {
      ops.select(a, Comparison.GREATER, 0f, b, c, out);
      return out;
    }
    segments.select(sa, Comparison.GREATER, 0f, sb, sc, sout);
    return sout;
  }

  @Benchmark
  public long argmax() {
    return sa == null ? ops.argmax(a) : segments.argmax(sa);
  }

  @Benchmark
  public float sumOfSquares() {
    return sa == null ? ops.sumOfSquares(a) : segments.sumOfSquares(sa);
  }

  @Benchmark
  public long count() {
    return sa == null
        ? ops.count(a, Comparison.GREATER, 0f)
        : segments.count(sa, Comparison.GREATER, 0f);
  }

  @Benchmark
  public Object prefixSum() {
    if (sa == null) {
      ops.prefixSum(a, out);
      return out;
    }
    segments.prefixSum(sa, sout);
    return sout;
  }

  /** The timed kernel, once, over the timed storage, against a naive loop in double. */
  private void verify(String kernel) {
    int step = Math.max(1, size / 1000);
    String who = mode + "/" + storage;
    switch (kernel) {
      case "sum", "dot" -> {
        double expected = 0;
        double magnitude = 0;
        for (int i = 0; i < size; i++) {
          double term = kernel.equals("sum") ? a[i] : (double) a[i] * b[i];
          expected += term;
          magnitude += Math.abs(term);
        }
        double actual = kernel.equals("sum") ? sum() : dot();
        Checks.near(who, kernel, actual, expected, 1e-4 * magnitude + 1e-6);
      }
      case "min", "max" -> {
        float expected = a[0];
        for (int i = 1; i < size; i++) {
          expected = kernel.equals("min") ? Math.min(expected, a[i]) : Math.max(expected, a[i]);
        }
        Checks.near(who, kernel, kernel.equals("min") ? min() : max(), expected, 0);
      }
      case "add", "sub", "mul", "scale", "exp" -> {
        switch (kernel) {
          case "add" -> add();
          case "sub" -> sub();
          case "mul" -> mul();
          case "scale" -> scale();
          default -> exp();
        }
        for (int i = 0; i < size; i += step) {
          double x = a[i];
          double y = b[i];
          double expected =
              switch (kernel) {
                case "add" -> x + y;
                case "sub" -> x - y;
                case "mul" -> x * y;
                case "scale" -> alpha * x;
                default -> Math.exp(x);
              };
          float actual = sout == null ? out[i] : sout.getAtIndex(FloatSegments.LAYOUT, i);
          Checks.nearAt(who, kernel, i, actual, expected, 2 * Math.ulp((float) expected));
        }
      }
      case "axpy" -> {
        float[] before = c.clone();
        axpy();
        for (int i = 0; i < size; i += step) {
          double expected = (double) alpha * a[i] + before[i];
          float actual = sc == null ? c[i] : sc.getAtIndex(FloatSegments.LAYOUT, i);
          Checks.nearAt(who, kernel, i, actual, expected, 2 * Math.ulp((float) expected));
        }
      }
      case "neg", "sqrt", "relu", "minimum", "select" -> {
        switch (kernel) {
          case "neg" -> neg();
          case "sqrt" -> sqrt();
          case "relu" -> relu();
          case "minimum" -> minimum();
          default -> select();
        }
        for (int i = 0; i < size; i += step) {
          float expected =
              switch (kernel) {
                case "neg" -> -a[i];
                case "sqrt" -> (float) Math.sqrt(b[i]);
                case "relu" -> a[i] > 0 ? a[i] : 0f;
                case "minimum" -> a[i] < b[i] ? a[i] : b[i];
                default -> a[i] > 0f ? b[i] : c[i];
              };
          float actual = sout == null ? out[i] : sout.getAtIndex(FloatSegments.LAYOUT, i);
          Checks.nearAt(who, kernel, i, actual, expected, 0);
        }
      }
      case "argmax" -> {
        int expected = 0;
        for (int i = 1; i < size; i++) {
          expected = a[i] > a[expected] ? i : expected;
        }
        Checks.near(who, kernel, argmax(), expected, 0);
      }
      case "sumOfSquares" -> {
        double expected = 0;
        for (int i = 0; i < size; i++) {
          expected += (double) a[i] * a[i];
        }
        Checks.near(who, kernel, sumOfSquares(), expected, 1e-5 * expected);
      }
      case "count" -> {
        long expected = 0;
        for (int i = 0; i < size; i++) {
          expected += a[i] > 0f ? 1 : 0;
        }
        Checks.near(who, kernel, count(), expected, 0);
      }
      case "prefixSum" -> {
        prefixSum();
        double run = 0;
        double magnitude = 0;
        for (int i = 0; i < size; i++) {
          run += a[i];
          magnitude += Math.abs(a[i]);
          if (i % step == 0) {
            float actual = sout == null ? out[i] : sout.getAtIndex(FloatSegments.LAYOUT, i);
            Checks.nearAt(who, kernel, i, actual, run, 1e-5 * magnitude + Math.ulp((float) run));
          }
        }
      }
      default -> throw new IllegalStateException("no check for kernel " + kernel);
    }
  }
}
