package dev.flynn.bench;

import java.util.Map;
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
 * <p>All peers work on {@link BenchData} at the same size. Each subclass gives one check per
 * benchmark method ({@link #checks()}: its answer against a naive {@code double} reference), and
 * its trial setup runs the check of the kernel that fork times, and only that one ({@link
 * #checkTimedKernel}), outside the timed region. The JMH samples' rules hold as in {@link
 * DemoBenchmark}: inputs in non-final fields, results returned, no loop inside a benchmark method
 * (a peer's kernel loop lives in a method it calls), one fork per configuration with a fixed heap.
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
   * One check per benchmark method of the subclass, by method name: each runs the peer's kernel on
   * the trial's data and compares its answer with a naive reference, throwing when they differ.
   * Building the map runs nothing ({@code BenchCoverageTest} builds it without a trial).
   */
  abstract Map<String, Runnable> checks();

  /**
   * Runs the check of the kernel this fork times ({@code benchmark}: JMH's name for it, {@code
   * package.Class.method}), and only that one: one inaccurate kernel of a peer (ND4J's float norm2
   * drifts by 1% at 16 Mi elements) fails its own fork, not the peer's other kernels, and the setup
   * warms no code the fork does not time. A benchmark method without a check fails its fork:
   * nothing is timed unverified.
   */
  final void checkTimedKernel(String benchmark) {
    String kernel = benchmark.substring(benchmark.lastIndexOf('.') + 1);
    Runnable check = checks().get(kernel);
    if (check == null) {
      throw new IllegalStateException(
          getClass().getSimpleName() + " has no check for " + kernel + ": add one to checks()");
    }
    check.run();
  }

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
