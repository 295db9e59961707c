package dev.flynn.bench;

import dev.flynn.engine.Flynn;
import dev.flynn.engine.FlynnOps;
import dev.flynn.engine.HugePages;
import dev.flynn.engine.IntSegments;
import dev.flynn.engine.LongSegments;
import dev.flynn.engine.MappedFile;
import dev.flynn.engine.Mode;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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
 * The int and long kernels over three storages of the same values, as {@link SegmentBenchmark} does
 * for floats: Java arrays, native segments ({@link HugePages#allocate} in an {@code
 * Arena.ofShared()}) and memory-mapped files in the fork's {@code java.io.tmpdir} (inputs
 * read-only, outputs read-write; each file is written, then dropped from the page cache with {@link
 * MappedFile#dropFromPageCache}, so that its mapping reads it in on huge pages as a cold file would
 * be). The memory-bound int and long segment kernels timed here run directly on the segments (no
 * copy through a heap buffer), so the ratio segment / array should be near 1 at sizes past the
 * cache. Each kernel is checked against a naive loop before timing, over the storage being timed.
 *
 * <pre>
 * ./flynn jmh IntegerSegmentBenchmark -p type=INT -p size=16777216 -p mode=SIMD
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
public class IntegerSegmentBenchmark {

  /** The element type. */
  public enum Type {
    INT,
    LONG
  }

  /** Where the operands live. */
  public enum Storage {
    ARRAY,
    NATIVE,
    MAPPED
  }

  @Param({"INT", "LONG"})
  public Type type;

  /** Elements per operand: 16 Mi ints is 64 MiB, past the last-level cache of most machines. */
  @Param("16777216")
  public int size;

  @Param({"SIMD", "SISD"})
  public Mode mode;

  @Param({"ARRAY", "NATIVE", "MAPPED"})
  public Storage storage;

  /** Threads sharing a pooled call; 0 means one per available processor. */
  @Param("0")
  public int threads;

  /** The bounds of {@link #clamp}: the middle half of the int range, or +-2^39 for longs. */
  private static final int INT_LO = Integer.MIN_VALUE / 2;

  private static final int INT_HI = Integer.MAX_VALUE / 2;
  private static final long LONG_LO = -(1L << 39);
  private static final long LONG_HI = 1L << 39;

  private Flynn flynn;
  private FlynnOps ops;
  private IntSegments ints;
  private LongSegments longs;
  private int[] ia;
  private int[] ib;
  private int[] iout;
  private long[] la;
  private long[] lb;
  private long[] lout;
  private MemorySegment sa;
  private MemorySegment sb;
  private MemorySegment sout;
  private MemorySegment sscan;
  private Arena arena;
  private final List<MappedFile> files = new ArrayList<>();
  private final List<Path> paths = new ArrayList<>();

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) throws IOException {
    flynn = Engines.start(threads);
    ops = flynn.using(mode);
    ints = ops.intSegments();
    longs = ops.longSegments();
    SplittableRandom random = new SplittableRandom(42);
    Object a;
    Object b;
    if (type == Type.INT) {
      ia = random.ints(size).toArray();
      ib = random.ints(size, -1000, 1000).toArray();
      iout = new int[size];
      a = ia;
      b = ib;
    } else {
      la = random.longs(size, -(1L << 40), 1L << 40).toArray();
      lb = random.longs(size, -1000, 1000).toArray();
      a = la;
      b = lb;
    }
    lout = new long[size]; // the scan's output, for both types
    int bytes = type == Type.INT ? Integer.BYTES : Long.BYTES;
    switch (storage) {
      case ARRAY -> {}
      case NATIVE -> {
        arena = Arena.ofShared();
        sa = nativeCopy(a, bytes);
        sb = nativeCopy(b, bytes);
        sout = HugePages.allocate(arena, (long) bytes * size);
        sscan = HugePages.allocate(arena, 8L * size);
      }
      case MAPPED -> {
        sa = mapped(a, (long) bytes * size, false);
        sb = mapped(b, (long) bytes * size, false);
        sout = mapped(null, (long) bytes * size, true);
        sscan = mapped(null, 8L * size, true);
      }
    }
    String benchmark = params.getBenchmark();
    verify(benchmark.substring(benchmark.lastIndexOf('.') + 1));
  }

  private ValueLayout layout() {
    return type == Type.INT ? IntSegments.LAYOUT : LongSegments.LAYOUT;
  }

  private MemorySegment nativeCopy(Object values, int bytes) {
    MemorySegment s = HugePages.allocate(arena, (long) bytes * size); // as the heap: huge pages
    MemorySegment.copy(values, 0, s, layout(), 0, size);
    return s;
  }

  private MemorySegment mapped(Object values, long bytes, boolean writable) throws IOException {
    Path path = Files.createTempFile("flynn-integer-segment-benchmark", ".bin");
    paths.add(path);
    try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
      file.setLength(bytes);
    }
    if (values != null) {
      try (MappedFile writer = MappedFile.readWrite(path)) {
        MemorySegment.copy(values, 0, writer.segment(), layout(), 0, size);
        writer.segment().force();
      }
    }
    MappedFile.dropFromPageCache(path); // read in afresh on huge pages (see MappedFile)
    MappedFile file = writable ? MappedFile.readWrite(path) : MappedFile.readOnly(path);
    files.add(file);
    return file.segment();
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
  public long sum() {
    if (type == Type.INT) {
      return sa == null ? ops.sum(ia) : ints.sum(sa);
    }
    return sa == null ? ops.sum(la) : longs.sum(sa);
  }

  @Benchmark
  public long max() {
    if (type == Type.INT) {
      return sa == null ? ops.max(ia) : ints.max(sa);
    }
    return sa == null ? ops.max(la) : longs.max(sa);
  }

  @Benchmark
  public long min() {
    if (type == Type.INT) {
      return sa == null ? ops.min(ia) : ints.min(sa);
    }
    return sa == null ? ops.min(la) : longs.min(sa);
  }

  @Benchmark
  public long argmax() {
    if (type == Type.INT) {
      return sa == null ? ops.argmax(ia) : ints.argmax(sa);
    }
    return sa == null ? ops.argmax(la) : longs.argmax(sa);
  }

  @Benchmark
  public Object add() {
    if (sa != null) {
      if (type == Type.INT) {
        ints.add(sa, sb, sout);
      } else {
        longs.add(sa, sb, sout);
      }
      return sout;
    }
    if (type == Type.INT) {
      ops.add(ia, ib, iout);
      return iout;
    }
    ops.add(la, lb, lout);
    return lout;
  }

  @Benchmark
  public Object sub() {
    if (sa != null) {
      if (type == Type.INT) {
        ints.sub(sa, sb, sout);
      } else {
        longs.sub(sa, sb, sout);
      }
      return sout;
    }
    if (type == Type.INT) {
      ops.sub(ia, ib, iout);
      return iout;
    }
    ops.sub(la, lb, lout);
    return lout;
  }

  @Benchmark
  public Object neg() {
    if (sa != null) {
      if (type == Type.INT) {
        ints.neg(sa, sout);
      } else {
        longs.neg(sa, sout);
      }
      return sout;
    }
    if (type == Type.INT) {
      ops.neg(ia, iout);
      return iout;
    }
    ops.neg(la, lout);
    return lout;
  }

  /** Clamps to {@link #INT_LO}..{@link #INT_HI} (longs: +-2^39): half the elements change. */
  @Benchmark
  public Object clamp() {
    if (sa != null) {
      if (type == Type.INT) {
        ints.clamp(sa, INT_LO, INT_HI, sout);
      } else {
        longs.clamp(sa, LONG_LO, LONG_HI, sout);
      }
      return sout;
    }
    if (type == Type.INT) {
      ops.clamp(ia, INT_LO, INT_HI, iout);
      return iout;
    }
    ops.clamp(la, LONG_LO, LONG_HI, lout);
    return lout;
  }

  @Benchmark
  public Object prefixSum() {
    if (sa != null) {
      if (type == Type.INT) {
        ints.prefixSum(sa, sscan);
      } else {
        longs.prefixSum(sa, sscan);
      }
      return sscan;
    }
    if (type == Type.INT) {
      ops.prefixSum(ia, lout);
    } else {
      ops.prefixSum(la, lout);
    }
    return lout;
  }

  private long a(int i) {
    return type == Type.INT ? ia[i] : la[i];
  }

  private long b(int i) {
    return type == Type.INT ? ib[i] : lb[i];
  }

  /** The timed kernel, once, over the timed storage, against a naive loop (exact integers). */
  private void verify(String kernel) {
    String who = type + "/" + mode + "/" + storage;
    int step = Math.max(1, size / 1000);
    switch (kernel) {
      case "sum", "max", "min", "argmax" -> {
        long sum = 0;
        int min = 0;
        int max = 0;
        for (int i = 0; i < size; i++) {
          sum += a(i);
          min = a(i) < a(min) ? i : min;
          max = a(i) > a(max) ? i : max;
        }
        long[] expectedActual =
            switch (kernel) {
              case "sum" -> new long[] {sum, sum()};
              case "max" -> new long[] {a(max), max()};
              case "min" -> new long[] {a(min), min()};
              default -> new long[] {max, argmax()};
            };
        Checks.near(who, kernel, expectedActual[1], expectedActual[0], 0);
      }
      case "add", "sub", "neg", "clamp" -> {
        switch (kernel) {
          case "add" -> add();
          case "sub" -> sub();
          case "neg" -> neg();
          default -> clamp();
        }
        for (int i = 0; i < size; i += step) {
          long exact =
              switch (kernel) {
                case "add" -> a(i) + b(i);
                case "sub" -> a(i) - b(i);
                case "neg" -> -a(i);
                default ->
                    type == Type.INT
                        ? Math.clamp(a(i), INT_LO, INT_HI)
                        : Math.clamp(a(i), LONG_LO, LONG_HI);
              };
          long expected = type == Type.INT ? (int) exact : exact;
          long actual =
              sout == null
                  ? (type == Type.INT ? iout[i] : lout[i])
                  : (type == Type.INT
                      ? sout.getAtIndex(IntSegments.LAYOUT, i)
                      : sout.getAtIndex(LongSegments.LAYOUT, i));
          Checks.nearAt(who, kernel, i, (double) actual, expected, 0);
        }
      }
      case "prefixSum" -> {
        prefixSum();
        long running = 0;
        for (int i = 0; i < size; i++) {
          running += a(i);
          if (i % step == 0 || i == size - 1) {
            long actual = sscan == null ? lout[i] : sscan.getAtIndex(LongSegments.LAYOUT, i);
            Checks.nearAt(who, kernel, i, (double) actual, running, 0);
          }
        }
      }
      default -> throw new IllegalStateException("no check for kernel " + kernel);
    }
  }
}
