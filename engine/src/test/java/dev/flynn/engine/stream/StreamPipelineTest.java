package dev.flynn.engine.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flynn.engine.Flynn;
import dev.flynn.engine.Histogram;
import dev.flynn.engine.Mode;
import dev.flynn.engine.Stats;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The pipeline's results against references written here (naive double loops, exact counts) and
 * against the engine on the same array; the same bits for any number of consumers; bounded buffers
 * and back-pressure through the package-private observer. Failures: {@link StreamFailureTest}.
 */
class StreamPipelineTest {

  /** 300_001 floats: 19 chunks of 64 KiB, the last one short and odd. */
  private static final int N = 300_001;

  private static final int CHUNK = 64 * 1024;

  private static Flynn flynn;
  private static float[] floats;
  private static double[] doubles;
  private static Path floatFile;
  private static Path doubleFile;

  @TempDir static Path dir;

  @BeforeAll
  static void start() throws IOException {
    flynn = Flynn.builder().threads(1).mode(Mode.SIMD).build();
    SplittableRandom r = new SplittableRandom(42);
    floats = new float[N];
    doubles = new double[N];
    for (int i = 0; i < N; i++) {
      floats[i] = (float) (100 + r.nextDouble(-1, 1));
      doubles[i] = -3 + r.nextDouble(-1, 1) * r.nextDouble();
    }
    floatFile = dir.resolve("values.f32");
    doubleFile = dir.resolve("values.f64");
    Files.write(floatFile, bytes(floats));
    Files.write(doubleFile, bytes(doubles));
  }

  @AfterAll
  static void stop() {
    flynn.close();
  }

  @AfterEach
  void noThreadIsLeft() throws InterruptedException {
    StreamTestSupport.assertNoPipelineThreads();
  }

  static byte[] bytes(float[] a) {
    ByteBuffer b = ByteBuffer.allocate(a.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(a);
    return b.array();
  }

  static byte[] bytes(double[] a) {
    ByteBuffer b = ByteBuffer.allocate(a.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    b.asDoubleBuffer().put(a);
    return b.array();
  }

  private static StreamPipeline pipeline(int consumers) {
    return StreamPipeline.builder().chunkBytes(CHUNK).consumers(consumers).mode(Mode.SIMD).build();
  }

  @Test
  void sumAndStatsOfFloatsMatchANaiveReference() throws Exception {
    double sum = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double magnitude = 0;
    for (float v : floats) {
      sum += v;
      magnitude += Math.abs(v);
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    double mean = sum / N;
    double squares = 0;
    for (float v : floats) {
      squares += (v - mean) * (v - mean);
    }
    StreamSource source = StreamSource.file(floatFile, ElementType.FLOAT);
    double streamed = pipeline(2).run(source, StreamOp.sum());
    // vector float lanes within each 16384-element block: FlynnOps.sum's bound
    assertTrue(Math.abs(streamed - sum) <= 1e-4 * magnitude, streamed + " against " + sum);
    Stats s = pipeline(3).run(source, StreamOp.stats(99.0, 101.0, 50));
    assertEquals(N, s.count());
    assertEquals(streamed, s.sum(), "the same blocks and tree give the same sum");
    assertEquals(min, s.min());
    assertEquals(max, s.max());
    assertEquals(squares / N, s.variance(), 2e-5 * squares / N);
    assertEquals(s.min(), pipeline(2).run(source, StreamOp.min()));
    assertEquals(s.max(), pipeline(2).run(source, StreamOp.max()));
    assertEquals(s.mean(), pipeline(2).run(source, StreamOp.mean()));
    assertEquals(s.variance(), pipeline(2).run(source, StreamOp.variance()));
    long[] counts = new long[50];
    long below = 0;
    long above = 0;
    for (float v : floats) {
      // exact here: 99 + k / 25 edges, values are floats near 100; compare in double
      double bin = Math.floor((v - 99.0) * 25);
      if (v < 99.0) {
        below++;
      } else if (v >= 101.0) {
        above++;
      } else {
        counts[(int) bin]++;
      }
    }
    assertArrayEquals(counts, s.histogram().counts());
    assertEquals(below, s.histogram().below());
    assertEquals(above, s.histogram().above());
    assertEquals(s.histogram(), pipeline(2).run(source, StreamOp.histogram(99.0, 101.0, 50)));
  }

  @Test
  void oneChunkGivesTheEnginesOwnResult() throws Exception {
    StreamPipeline whole =
        StreamPipeline.builder().chunkBytes(N * 8 + 8).consumers(1).mode(Mode.SIMD).build();
    Stats f = whole.run(StreamSource.file(floatFile, ElementType.FLOAT), StreamOp.stats());
    assertEquals(flynn.stats().of(floats), f);
    assertEquals(
        flynn.sum(floats),
        (float)
            (double) whole.run(StreamSource.file(floatFile, ElementType.FLOAT), StreamOp.sum()));
    Stats d =
        whole.run(
            StreamSource.file(doubleFile, ElementType.DOUBLE), StreamOp.stats(-5.0, -1.0, 16));
    assertEquals(flynn.stats().of(doubles, -5.0, -1.0, 16), d);
    assertEquals(flynn.histogram(doubles, -5.0, -1.0, 16), d.histogram());
  }

  @ParameterizedTest
  @EnumSource(ElementType.class)
  void reductionsHaveTheSameBitsForAnyNumberOfConsumers(ElementType type) throws Exception {
    StreamSource source =
        StreamSource.file(type == ElementType.FLOAT ? floatFile : doubleFile, type);
    Stats first = null;
    Double sum = null;
    for (int consumers : new int[] {1, 2, 3, 5}) {
      for (int buffers : new int[] {1, consumers + 1, 9}) {
        StreamPipeline p =
            StreamPipeline.builder()
                .chunkBytes(CHUNK)
                .consumers(consumers)
                .buffers(buffers)
                .mode(Mode.SIMD)
                .build();
        Stats s = p.run(source, StreamOp.stats(-5.0, 105.0, 20));
        double total = p.run(source, StreamOp.sum());
        if (first == null) {
          first = s;
          sum = total;
        }
        assertEquals(first, s, consumers + " consumers, " + buffers + " buffers");
        assertEquals(Double.doubleToRawLongBits(sum), Double.doubleToRawLongBits(total));
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 5})
  void mapsAreWrittenInOrder(int consumers) throws Exception {
    Path out = dir.resolve("scaled-" + consumers + ".f32");
    long written;
    try (FileChannel channel =
        FileChannel.open(
            out,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      written =
          pipeline(consumers)
              .run(
                  StreamSource.file(floatFile, ElementType.FLOAT),
                  StreamOp.mapFloats(
                      (x, xo, o, oo, n) -> flynn.scale(-2f, x, xo, o, oo, n), channel));
    }
    assertEquals(N, written);
    ByteBuffer result = ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(N * 4, result.capacity());
    for (int i = 0; i < N; i++) {
      assertEquals(-2f * floats[i], result.getFloat(i * 4), "value " + i);
    }
  }

  @Test
  void doublesMapThroughAnEngineKernelFromASupplier() throws Exception {
    int[] next = {0};
    ChunkSupplier supplier =
        buffer -> {
          while (buffer.remaining() >= 8 && next[0] < N) {
            buffer.putDouble(doubles[next[0]++]);
          }
          return next[0] < N;
        };
    java.io.ByteArrayOutputStream sink = new java.io.ByteArrayOutputStream();
    long written =
        pipeline(3)
            .run(
                StreamSource.supplier(ElementType.DOUBLE, supplier),
                StreamOp.mapDoubles(flynn::abs, Channels.newChannel(sink)));
    assertEquals(N, written);
    ByteBuffer result = ByteBuffer.wrap(sink.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < N; i++) {
      assertEquals(Math.abs(doubles[i]), result.getDouble(i * 8), "value " + i);
    }
  }

  @Test
  void aChannelSourceWithShortReadsGivesTheFilesResult() throws Exception {
    // a channel that returns at most 1000 bytes per read: chunks are still full chunks
    ByteBuffer all = ByteBuffer.wrap(bytes(floats));
    java.nio.channels.ReadableByteChannel trickle =
        new java.nio.channels.ReadableByteChannel() {
          boolean open = true;

          @Override
          public int read(ByteBuffer dst) {
            if (!all.hasRemaining()) {
              return -1;
            }
            int n = Math.min(1000, Math.min(dst.remaining(), all.remaining()));
            ByteBuffer part = all.slice().limit(n);
            dst.put(part);
            all.position(all.position() + n);
            return n;
          }

          @Override
          public boolean isOpen() {
            return open;
          }

          @Override
          public void close() {
            open = false;
          }
        };
    Stats fromChannel =
        pipeline(2).run(StreamSource.channel(trickle, ElementType.FLOAT), StreamOp.stats());
    assertEquals(
        pipeline(1).run(StreamSource.file(floatFile, ElementType.FLOAT), StreamOp.stats()),
        fromChannel);
  }

  @Test
  void theBuffersAreCreatedOnceAndTheProducerWaitsForTheConsumers() throws Exception {
    int buffers = 3;
    AtomicInteger created = new AtomicInteger();
    AtomicLong done = new AtomicLong();
    List<String> violations = new ArrayList<>();
    StreamPipeline.Observer observer =
        new StreamPipeline.Observer() {
          @Override
          public void bufferCreated(int count) {
            created.incrementAndGet();
          }

          @Override
          public void chunkRead(long sequence) {
            // chunks read so far never exceed those consumed plus the buffers
            if (sequence + 1 > done.get() + buffers) {
              synchronized (violations) {
                violations.add("read " + (sequence + 1) + " with " + done.get() + " consumed");
              }
            }
          }

          @Override
          public void chunkDone(long sequence) {
            done.incrementAndGet();
          }
        };
    StreamPipeline slow =
        StreamPipeline.builder()
            .chunkBytes(4096)
            .consumers(2)
            .buffers(buffers)
            .observer(observer)
            .build();
    AtomicLong lastProgress = new AtomicLong();
    // a deliberately slow consumer: each chunk waits 1 ms
    long written =
        slow.run(
            StreamSource.file(floatFile, ElementType.FLOAT),
            StreamOp.mapFloats(
                (x, xo, o, oo, n) -> {
                  try {
                    Thread.sleep(1);
                  } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                  }
                  System.arraycopy(x, xo, o, oo, n);
                },
                Channels.newChannel(java.io.OutputStream.nullOutputStream())));
    assertEquals(N, written);
    assertTrue(violations.isEmpty(), violations.toString());
    // 294 chunks through at most 3 buffers: created once each, then reused
    assertTrue(created.get() >= 1 && created.get() <= buffers, created + " buffers created");
    assertEquals((N * 4L + 4095) / 4096, done.get(), "every chunk was consumed");
    StreamPipeline watched =
        StreamPipeline.builder()
            .chunkBytes(CHUNK)
            .progress(
                (read, total, nanos) -> {
                  assertTrue(read > lastProgress.get() && total == N * 4L && nanos >= 0);
                  lastProgress.set(read);
                })
            .build();
    watched.run(StreamSource.file(floatFile, ElementType.FLOAT), StreamOp.sum());
    assertEquals(N * 4L, lastProgress.get());
  }

  @Test
  void anEmptyStreamSumsToZeroAndHasNoStatistics() throws Exception {
    Path empty = Files.write(dir.resolve("empty.f32"), new byte[0]);
    StreamSource source = StreamSource.file(empty, ElementType.FLOAT);
    assertEquals(0.0, pipeline(2).run(source, StreamOp.sum()));
    Histogram h = pipeline(2).run(source, StreamOp.histogram(0, 1, 4));
    assertEquals(0, h.total());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> pipeline(2).run(source, StreamOp.stats()));
    assertTrue(e.getMessage().contains("count=0"), e.getMessage());
  }
}
