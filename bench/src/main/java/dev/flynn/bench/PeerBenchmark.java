package dev.flynn.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What Flynn's peer benchmarks share: one subclass per library, each with only the kernels that
 * library has, so that no (peer, kernel) pair is faked. The kernels keep one name everywhere
 * ({@code sum}, {@code dot}, {@code axpy}, {@code exp}, {@code scale}, {@code add}, {@code mul},
 * {@code prefixSum}), and every subclass declares a {@code peer} parameter, so a report groups the
 * JMH results by method name, {@code size}, {@code peer} and, where the peer can use more than one
 * thread, {@code threads}. Run them together with {@code ./flynn jmh PeerBenchmark}.
 *
 * <p>All peers work on {@link BenchData} at the same size, and each one's answers are checked
 * against its naive {@code double} reference in the subclass's trial setup, outside the timed
 * region. The JMH samples' rules hold as in {@link DemoBenchmark}: inputs in non-final fields,
 * results returned, no loop inside a benchmark method (a peer's kernel loop lives in a method it
 * calls), one fork per configuration with a fixed heap.
 */
@State(Scope.Benchmark)
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 200, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 200, timeUnit = TimeUnit.MILLISECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {
      "--add-modules=jdk.incubator.vector",
      "--enable-native-access=ALL-UNNAMED",
      "--sun-misc-unsafe-memory-access=allow",
      "-Xms1g",
      "-Xmx1g"
    })
public abstract class PeerBenchmark {

  /**
   * Elements per array: in L1, in L2, one more than that (a scalar tail after every vector loop),
   * and far beyond the last-level cache.
   */
  @Param({"4096", "65536", "65537", "16777216"})
  public int size;

  /** Non-final, so the JIT cannot fold it. */
  public float alpha = BenchData.AXPY_ALPHA;

  /** Non-final, so the JIT cannot fold it. */
  public float scaleAlpha = BenchData.SCALE_ALPHA;

  /**
   * Refuses a {@code peer} value that is not this class's own: {@code -p peer=...} on JMH's command
   * line reaches every class, and must not relabel one library's results as another's. Choose peers
   * by class name instead ({@code ./flynn jmh 'Nd4jPeerBenchmark|NetlibPeerBenchmark'}).
   */
  static void requirePeer(String peer, String own) {
    if (!peer.equals(own)) {
      throw new IllegalArgumentException(
          "this benchmark measures " + own + ", not " + peer + ": choose peers by class name");
    }
  }
}
