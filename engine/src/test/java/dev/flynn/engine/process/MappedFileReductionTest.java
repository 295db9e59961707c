package dev.flynn.engine.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flynn.engine.FloatSegments;
import dev.flynn.engine.Flynn;
import dev.flynn.engine.MappedFile;
import dev.flynn.engine.Mode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A mapped file reduced across threads and across worker processes: the same bits at every worker
 * count, equal to the engine's own SIMD reduction of the whole file, and close to a naive double
 * reference written here.
 */
class MappedFileReductionTest {

  private static final int BLOCK = 16384;

  @TempDir Path temp;

  @AfterEach
  void nothingLeft() throws InterruptedException {
    ProcessLeaks.assertNoDescendants();
    ProcessLeaks.assertNoThreads("flynn-file-reduction-");
    ProcessLeaks.assertNoThreads("flynn-process-");
  }

  /** Seeded values in [-1, 1), with a few large ones so that the order of additions shows. */
  private Path file(String name, int n, long seed) throws IOException {
    Random random = new Random(seed);
    ByteBuffer bytes = ByteBuffer.allocate(n * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      float v = random.nextFloat() * 2 - 1;
      bytes.putFloat(random.nextInt(1000) == 0 ? v * 1e6f : v);
    }
    Path file = temp.resolve(name);
    Files.write(file, bytes.array());
    return file;
  }

  /** The naive reference: one double loop over the file's values. */
  private static double[] reference(Path file) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    double sum = 0;
    double abs = 0;
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    while (bytes.hasRemaining()) {
      float v = bytes.getFloat();
      sum += v;
      abs += Math.abs(v);
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    return new double[] {sum, abs, min, max};
  }

  /** The engine's own SIMD reduction of the whole file. */
  private static FloatFileSummary engine(Path file) throws IOException {
    try (Flynn flynn = Flynn.builder().threads(1).build();
        MappedFile mapped = MappedFile.readOnly(file)) {
      FloatSegments s = flynn.using(Mode.SIMD).floatSegments();
      return new FloatFileSummary(
          mapped.segment().byteSize() / Float.BYTES,
          s.sum(mapped.segment()),
          s.mean(mapped.segment()),
          s.min(mapped.segment()),
          s.max(mapped.segment()));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 7, BLOCK - 1, BLOCK, BLOCK + 1, 3 * BLOCK + 5, 65 * BLOCK + 3})
  void threadsGiveTheEnginesBitsAtEveryCountAndMatchTheReference(int n) throws Exception {
    Path file = file("values.f32", n, n);
    FloatFileSummary expected = engine(file);
    double[] ref = reference(file);
    for (int threads : new int[] {1, 2, 3, 7, 64}) {
      ReductionRun run = MappedFileReduction.withThreads(file, threads);
      assertEquals(expected, run.summary(), "threads=" + threads + " n=" + n);
      assertEquals(Math.min(threads, MappedFileReduction.parts(n)), run.workers());
    }
    FloatFileSummary s = expected;
    assertEquals(n, s.count());
    // The vector bound of FlynnOps.sum: (m/4L + d + 6) u sum|a| with L = 16 at most, m <= 16384.
    double bound = (BLOCK / 64.0 + 20 + 6) * 0x1p-24 * ref[1] + Math.ulp((float) ref[0]);
    assertEquals(ref[0], s.sum(), bound, "sum");
    assertEquals(ref[0] / n, s.mean(), bound / n + Math.ulp((float) (ref[0] / n)), "mean");
    assertEquals((float) ref[2], s.min(), 0f, "min");
    assertEquals((float) ref[3], s.max(), 0f, "max");
  }

  @Test
  void processesGiveTheSameBitsAsThreadsAndTheEngine() throws Exception {
    // 6 blocks, 3 parts per child: small, since each child JVM runs the kernels cold (interpreted).
    int n = 5 * BLOCK + 3;
    Path file = file("values.f32", n, 42);
    ReductionRun processes = MappedFileReduction.withProcesses(file, 2, Duration.ofSeconds(60));
    ReductionRun threads = MappedFileReduction.withThreads(file, 2);
    assertEquals(engine(file), processes.summary());
    assertEquals(threads.summary(), processes.summary());
    assertEquals("processes", processes.way());
    assertEquals(2, processes.workers());
    assertTrue(processes.startup().isPositive(), processes.toString());
    assertTrue(processes.cpu().isPositive(), processes.toString());
    assertTrue(processes.wall().compareTo(processes.startup()) >= 0, processes.toString());
    if (Files.exists(Path.of("/proc/self/status"))) {
      assertTrue(processes.peakRssBytes() > 0, processes.toString());
      assertTrue(threads.peakRssBytes() > 0, threads.toString());
    }
  }

  @Test
  void nanAndSignedZerosFollowTheEnginesRules() throws Exception {
    ByteBuffer bytes = ByteBuffer.allocate(4 * BLOCK * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 4 * BLOCK; i++) {
      bytes.putFloat(i % 2 == 0 ? -0.0f : 0.0f);
    }
    Path zeros = temp.resolve("zeros.f32");
    Files.write(zeros, bytes.array());
    FloatFileSummary z = MappedFileReduction.withThreads(zeros, 3).summary();
    assertEquals(-0.0f, z.min(), 0f);
    assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(z.min()));
    assertEquals(Float.floatToRawIntBits(0.0f), Float.floatToRawIntBits(z.max()));
    bytes.putFloat(3 * BLOCK * Float.BYTES + 8, Float.NaN);
    Path nan = temp.resolve("nan.f32");
    Files.write(nan, bytes.array());
    FloatFileSummary s = MappedFileReduction.withThreads(nan, 2).summary();
    assertTrue(Float.isNaN(s.sum()) && Float.isNaN(s.min()) && Float.isNaN(s.max()), s.toString());
    assertEquals(engine(nan).bits(), s.bits());
  }

  @Test
  void partsDependOnTheLengthOnlyAndCoverItInOrder() {
    for (long n : new long[] {1, BLOCK, 5L * BLOCK + 1, 64L * BLOCK, 1000L * BLOCK + 17}) {
      var parts = ReductionParts.of(n);
      long blocks = (n + BLOCK - 1) / BLOCK;
      assertEquals(Math.min(blocks, 64), parts.size(), "n=" + n);
      assertEquals(0, parts.getFirst().firstBlock());
      assertEquals(blocks, parts.getLast().endBlock());
      for (int i = 1; i < parts.size(); i++) {
        assertEquals(parts.get(i - 1).endBlock(), parts.get(i).firstBlock());
      }
    }
    assertEquals(0, ReductionParts.of(0).size());
  }

  @Test
  void badInputIsRefusedBeforeAnythingStarts() throws Exception {
    Path file = file("ok.f32", 100, 1);
    Duration t = Duration.ofSeconds(60);
    assertThrows(NullPointerException.class, () -> MappedFileReduction.withThreads(null, 2));
    assertThrows(NullPointerException.class, () -> MappedFileReduction.withProcesses(null, 2, t));
    assertThrows(
        NullPointerException.class, () -> MappedFileReduction.withProcesses(file, 2, null));
    IllegalArgumentException zero =
        assertThrows(
            IllegalArgumentException.class, () -> MappedFileReduction.withThreads(file, 0));
    assertTrue(zero.getMessage().contains("threads") && zero.getMessage().contains(": 0"));
    IllegalArgumentException many =
        assertThrows(
            IllegalArgumentException.class, () -> MappedFileReduction.withProcesses(file, 65, t));
    assertTrue(many.getMessage().contains("processes") && many.getMessage().contains("65"));
    assertThrows(
        IllegalArgumentException.class,
        () -> MappedFileReduction.withProcesses(file, 2, Duration.ZERO));
    Path empty = Files.createFile(temp.resolve("empty.f32"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> MappedFileReduction.withThreads(empty, 1));
    assertTrue(e.getMessage().contains("empty"), e.getMessage());
    Path odd = Files.write(temp.resolve("odd.f32"), new byte[5]);
    e = assertThrows(IllegalArgumentException.class, () -> MappedFileReduction.withThreads(odd, 1));
    assertTrue(e.getMessage().contains("5 bytes"), e.getMessage());
    assertThrows(
        NoSuchFileException.class,
        () -> MappedFileReduction.withProcesses(temp.resolve("missing.f32"), 2, t));
    assertThrows(IllegalArgumentException.class, () -> MappedFileReduction.parts(-1));
  }
}
