package dev.flynn.bench.cli;

import dev.flynn.engine.Histogram;
import dev.flynn.engine.Stats;
import dev.flynn.engine.stream.ElementType;
import dev.flynn.engine.stream.StreamOp;
import dev.flynn.engine.stream.StreamPipeline;
import dev.flynn.engine.stream.StreamProgress;
import dev.flynn.engine.stream.StreamSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Streams a file of little-endian floats or doubles, larger than memory if need be, through the
 * engine's {@link StreamPipeline}: the result on stdout, progress on stderr.
 */
@Command(
    name = "stream",
    mixinStandardHelpOptions = true,
    description = {
      "Reduce a file of little-endian floats or doubles, larger than memory if need be.",
      "",
      "One thread reads chunks into a few reusable buffers; N consumer threads run the",
      "SIMD kernels on them; partial results are combined in file order, so the result",
      "has the same bits for any --consumers. The result goes to stdout; progress (bytes,",
      "percent, MB/s; at most four updates a second) to stderr when the console is a",
      "terminal (see --progress).",
      "",
      "Make a test file: ./flynn stream --generate FILE --count N [--type double]"
    })
final class StreamCommand implements Callable<Integer> {

  /** Operations of {@code --op}. */
  enum Operation {
    sum,
    stats,
    histogram
  }

  /** When progress goes to stderr. */
  enum ProgressMode {
    auto,
    always,
    never
  }

  @Parameters(index = "0", paramLabel = "FILE", description = "the file of values")
  Path file;

  @Option(
      names = "--op",
      defaultValue = "stats",
      description = "sum, stats or histogram (default: ${DEFAULT-VALUE})")
  Operation op;

  @Option(
      names = "--type",
      defaultValue = "float",
      description =
          "float (4 bytes) or double (8 bytes), little-endian (default: ${DEFAULT-VALUE})")
  String type;

  @Option(names = "--bins", description = "histogram bins (histogram: required; stats: optional)")
  Integer bins;

  @Option(
      names = "--range",
      split = ",",
      paramLabel = "LO,HI",
      description = "histogram range [LO, HI) (required with --bins)")
  List<Double> range;

  @Option(
      names = "--chunk",
      defaultValue = "1MiB",
      description = "bytes per chunk: 1048576, 64KiB, 4MiB... (default: ${DEFAULT-VALUE})")
  String chunk;

  @Option(
      names = "--consumers",
      defaultValue = "2",
      description = "consumer threads (default: ${DEFAULT-VALUE})")
  int consumers;

  @Option(
      names = "--buffers",
      description = "chunk buffers, the bound on memory in flight (default: 2 x consumers + 2)")
  Integer buffers;

  @Option(
      names = "--progress",
      defaultValue = "auto",
      description =
          "auto (when the console is a terminal), always or never (default: ${DEFAULT-VALUE})")
  ProgressMode progress;

  @Option(
      names = "--generate",
      description = "write FILE instead: --count random values uniform in [-1, 1)")
  boolean generate;

  @Option(names = "--count", description = "values to write with --generate")
  Long count;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "seed of --generate (default: ${DEFAULT-VALUE})")
  long seed;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ElementType elementType = elementType();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (generate) {
      if (count == null || count < 0) {
        throw usage("--generate needs --count N with N >= 0: " + count);
      }
      generate(file, elementType, count, seed);
      out.println("wrote " + count + " " + type + " values to " + file);
      out.flush();
      return 0;
    }
    StreamOp<?> operation = operation();
    StreamPipeline.Builder builder = StreamPipeline.builder();
    try {
      builder.chunkBytes(bytes(chunk)).consumers(consumers);
      if (buffers != null) {
        builder.buffers(buffers);
      }
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    boolean show =
        progress == ProgressMode.always
            || progress == ProgressMode.auto
                && System.console() != null
                && System.console().isTerminal();
    Meter meter = new Meter(err);
    if (show) {
      builder.progress(meter);
    }
    StreamPipeline pipeline = builder.build();
    Object result;
    long start = System.nanoTime();
    try {
      result = pipeline.run(StreamSource.file(file, elementType), operation);
    } catch (NoSuchFileException e) {
      err.println("flynn stream: no such file: " + file); // before anything was read
      err.flush();
      return 1;
    } catch (IOException | IllegalArgumentException e) {
      if (show) {
        err.println(); // end the progress line
      }
      err.println("flynn stream: " + file + ": " + e.getMessage());
      err.flush();
      return 1;
    }
    if (show) {
      meter.finish(System.nanoTime() - start, pipeline);
    }
    print(out, result);
    out.flush();
    return 0;
  }

  private ElementType elementType() {
    return switch (type.toLowerCase(Locale.ROOT)) {
      case "float", "f32" -> ElementType.FLOAT;
      case "double", "f64" -> ElementType.DOUBLE;
      default -> throw usage("--type must be float or double: " + type);
    };
  }

  private StreamOp<?> operation() {
    if (bins == null && range != null) {
      throw usage("--range needs --bins");
    }
    if (bins != null && (range == null || range.size() != 2)) {
      throw usage("--bins needs --range LO,HI (two numbers): " + range);
    }
    try {
      return switch (op) {
        case sum -> {
          if (bins != null) {
            throw usage("--op sum takes no histogram; use --op stats or histogram");
          }
          yield StreamOp.sum();
        }
        case stats ->
            bins == null ? StreamOp.stats() : StreamOp.stats(range.get(0), range.get(1), bins);
        case histogram -> {
          if (bins == null) {
            throw usage("--op histogram needs --bins N and --range LO,HI");
          }
          yield StreamOp.histogram(range.get(0), range.get(1), bins);
        }
      };
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /** {@code 4096}, {@code 64K}, {@code 64KiB}, {@code 1M}, {@code 1MiB}: bytes, powers of 1024. */
  static int bytes(String size) {
    String s = size.trim();
    String digits = s.replaceAll("(?i)(k|m|g)(i?b)?$", "");
    String unit = s.substring(digits.length()).toUpperCase(Locale.ROOT);
    long value;
    try {
      value = Long.parseLong(digits.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--chunk must be bytes, e.g. 1048576, 64KiB or 1MiB: " + size);
    }
    long factor =
        unit.isEmpty()
            ? 1
            : unit.startsWith("K") ? 1 << 10 : unit.startsWith("M") ? 1 << 20 : 1 << 30;
    long bytes = value * factor;
    if (value < 0 || bytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("--chunk is out of range: " + size);
    }
    return (int) bytes;
  }

  private void print(PrintWriter out, Object result) {
    switch (result) {
      case Double sum -> out.println("sum: " + sum);
      case Stats s -> {
        out.println("count: " + s.count());
        out.println("sum: " + s.sum());
        out.println("min: " + s.min());
        out.println("max: " + s.max());
        out.println("mean: " + s.mean());
        out.println("variance: " + s.variance());
        out.println("standard deviation: " + s.standardDeviation());
        if (s.histogram() != null) {
          print(out, s.histogram());
        }
      }
      case Histogram h -> {
        double width = (h.hi() - h.lo()) / h.bins();
        out.println("below " + h.lo() + ": " + h.below());
        for (int k = 0; k < h.bins(); k++) {
          out.printf(
              Locale.ROOT,
              "[%s, %s): %d%n",
              h.lo() + k * width,
              h.lo() + (k + 1) * width,
              h.count(k));
        }
        out.println("at or above " + h.hi() + ": " + h.above());
        out.println("NaN: " + h.nan());
      }
      default -> throw new IllegalStateException("unexpected result " + result);
    }
  }

  /** Writes {@code count} values uniform in [-1, 1), 1 MiB at a time. */
  static void generate(Path file, ElementType type, long count, long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
    try (FileChannel channel =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      for (long i = 0; i < count; i++) {
        if (buffer.remaining() < type.bytes()) {
          write(channel, buffer);
        }
        double v = random.nextDouble(-1, 1);
        if (type == ElementType.FLOAT) {
          buffer.putFloat((float) v);
        } else {
          buffer.putDouble(v);
        }
      }
      write(channel, buffer);
    }
  }

  private static void write(FileChannel channel, ByteBuffer buffer) throws IOException {
    buffer.flip();
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
    buffer.clear();
  }

  /** Progress on stderr, at most four lines a second, rewritten in place. */
  static final class Meter implements StreamProgress {
    private static final long INTERVAL_NANOS = 250_000_000L;
    private final PrintWriter err;
    private long lastPrint = Long.MIN_VALUE;
    private long bytes;
    private long total = -1;

    Meter(PrintWriter err) {
      this.err = err;
    }

    @Override
    public void update(long bytesRead, long totalBytes, long elapsedNanos) {
      bytes = bytesRead;
      total = totalBytes;
      if (lastPrint != Long.MIN_VALUE && elapsedNanos - lastPrint < INTERVAL_NANOS) {
        return;
      }
      lastPrint = elapsedNanos;
      err.print("\r" + line(bytesRead, totalBytes, elapsedNanos));
      err.flush();
    }

    void finish(long elapsedNanos, StreamPipeline pipeline) {
      err.println("\r" + line(bytes, total, elapsedNanos));
      err.printf(
          Locale.ROOT,
          "%d consumers, %s chunks, %d buffers%n",
          pipeline.consumers(),
          size(pipeline.chunkBytes()),
          pipeline.buffers());
      err.flush();
    }

    static String line(long bytes, long total, long nanos) {
      double seconds = Math.max(nanos, 1) / 1e9;
      String percent =
          total > 0 ? String.format(Locale.ROOT, " (%.0f%%)", 100.0 * bytes / total) : "";
      return String.format(
          Locale.ROOT,
          "%s%s%s, %.1f s, %.0f MB/s   ",
          size(bytes),
          total >= 0 ? " of " + size(total) : "",
          percent,
          seconds,
          bytes / 1e6 / seconds);
    }

    private static String size(long bytes) {
      if (bytes < 1 << 20) {
        return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
      }
      if (bytes < 1L << 30) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
      }
      return String.format(Locale.ROOT, "%.2f GiB", bytes / (1024.0 * 1024 * 1024));
    }
  }
}
