package dev.flynn.bench;

import dev.flynn.engine.Mode;
import dev.flynn.engine.Stats;
import dev.flynn.engine.stream.ElementType;
import dev.flynn.engine.stream.StreamOp;
import dev.flynn.engine.stream.StreamPipeline;
import dev.flynn.engine.stream.StreamSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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

/**
 * The stream pipeline's throughput over a file of floats in the temporary directory (in the page
 * cache once written, so this measures the pipeline, not the disk), against a plain single-threaded
 * loop that reads the same file into one direct buffer and sums it in double. Throughput is {@code
 * fileMiB} divided by the time per operation.
 *
 * <pre>{@code
 * ./flynn jmh 'PipelineBenchmark' -p consumers=1,2 -f 1 -wi 2 -w 200ms -i 3 -r 200ms
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {
      "--add-modules=jdk.incubator.vector",
      "--enable-native-access=ALL-UNNAMED",
      "-Xms1g",
      "-Xmx1g"
    })
public class PipelineBenchmark {

  /** Size of the file. */
  @Param("256")
  public int fileMiB;

  /** Consumer threads of the pipeline (the plain loop has none). */
  @Param({"1", "2"})
  public int consumers;

  /** Bytes per chunk, for the pipeline and the plain loop alike. */
  @Param("1048576")
  public int chunkBytes;

  private Path file;
  private StreamPipeline pipeline;
  private ByteBuffer buffer;

  @Setup(Level.Trial)
  public void setUp() throws IOException, InterruptedException {
    file = Files.createTempFile("flynn-pipeline-benchmark", ".f32");
    SplittableRandom random = new SplittableRandom(42);
    ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
    try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE)) {
      for (int m = 0; m < fileMiB; m++) {
        chunk.clear();
        while (chunk.hasRemaining()) {
          chunk.putFloat((float) random.nextDouble(-1, 1));
        }
        chunk.flip();
        while (chunk.hasRemaining()) {
          out.write(chunk);
        }
      }
    }
    pipeline =
        StreamPipeline.builder()
            .chunkBytes(chunkBytes)
            .consumers(consumers)
            .mode(Mode.SIMD)
            .build();
    buffer = ByteBuffer.allocateDirect(chunkBytes).order(ByteOrder.LITTLE_ENDIAN);
    double plain = plainLoop();
    double streamed = pipelineSum();
    if (Math.abs(plain - streamed) > 1e-3 * fileMiB * (1 << 18)) {
      throw new IllegalStateException("pipeline sum " + streamed + ", plain loop " + plain);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    Files.deleteIfExists(file);
  }

  /** What a user writes without Flynn: read a chunk, add its floats in double, repeat. */
  @Benchmark
  public double plainLoop() throws IOException {
    double sum = 0;
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      while (true) {
        buffer.clear();
        boolean end = false;
        while (buffer.hasRemaining() && !end) {
          end = in.read(buffer) < 0;
        }
        buffer.flip();
        int floats = buffer.limit() / 4;
        for (int i = 0; i < floats; i++) {
          sum += buffer.getFloat(i * 4);
        }
        if (end) {
          return sum;
        }
      }
    }
  }

  @Benchmark
  public double pipelineSum() throws IOException, InterruptedException {
    return pipeline.run(StreamSource.file(file, ElementType.FLOAT), StreamOp.sum());
  }

  @Benchmark
  public Stats pipelineStats() throws IOException, InterruptedException {
    return pipeline.run(StreamSource.file(file, ElementType.FLOAT), StreamOp.stats());
  }
}
