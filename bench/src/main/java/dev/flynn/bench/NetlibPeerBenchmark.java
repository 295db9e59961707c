package dev.flynn.bench;

import static java.util.Map.entry;

import dev.ludovic.netlib.blas.JavaBLAS;
import java.util.Map;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * dev.ludovic.netlib's BLAS in pure Java with the Vector API ({@code VectorBLAS}, what Spark MLlib
 * runs on). BLAS level 1 has {@code sdot}, {@code saxpy}, {@code sscal} and {@code snrm2} among our
 * kernels, and nothing else: no plain sum ({@code sasum} sums magnitudes), no {@code exp}, no
 * elementwise add or multiply, so those are absent here rather than faked. One thread.
 *
 * <p>{@code sscal} scales in place, so {@code scale} here is {@code x = alpha * x} on a working
 * copy of {@code x}: two memory streams, like the others' {@code out = alpha * x}; {@link
 * BenchData#SCALE_ALPHA} keeps the values from drifting.
 *
 * <p>The instance comes from {@link JavaBLAS#getInstance()}, not {@code BLAS.getInstance()}: the
 * latter prefers a native system BLAS through JNI whenever {@code libblas.so.3} is installed, and
 * this peer is meant to be the Vector API code. The setup prints the class and refuses to run on
 * anything but {@code VectorBLAS}.
 */
public class NetlibPeerBenchmark extends PeerBenchmark {

  private static final String PEER = "netlib";

  @Param(PEER)
  public String peer;

  private JavaBLAS blas;
  private BenchData data;
  private float[] x;
  private float[] y;
  private float[] scaled;

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) {
    prepare();
    checkTimedKernel(params.getBenchmark());
  }

  /** The trial's data and state, without the check (the tests run every check after it). */
  void prepare() {
    requirePeer(peer, PEER);
    blas = JavaBLAS.getInstance();
    String implementation = blas.getClass().getName();
    System.err.println("# netlib: " + implementation);
    if (!implementation.equals("dev.ludovic.netlib.blas.VectorBLAS")) {
      throw new IllegalStateException(
          "netlib picked "
              + implementation
              + ", not its Vector API BLAS: start the JVM with --add-modules jdk.incubator.vector");
    }
    data = BenchData.generate(size);
    x = data.x();
    y = data.y();
    scaled = data.x();
  }

  @Override
  Map<String, Runnable> checks() {
    return Map.ofEntries(
        entry("dot", () -> data.checkDot(peer, dot())),
        entry(
            "axpy",
            () -> {
              float[] scratch = data.y(); // axpy writes y: check it on a copy
              blas.saxpy(size, alpha, x, 1, scratch, 1);
              data.checkAxpy(peer, alpha, scratch);
            }),
        entry(
            "scale",
            () -> {
              float[] scratch = data.x(); // sscal writes its operand: check it on a copy
              blas.sscal(size, scaleAlpha, scratch, 1);
              data.checkScale(peer, scaleAlpha, scratch);
            }),
        entry("norm2", () -> data.checkNorm2(peer, norm2())));
  }

  @Benchmark
  public float norm2() {
    return blas.snrm2(size, x, 1);
  }

  @Benchmark
  public float dot() {
    return blas.sdot(size, x, 1, y, 1);
  }

  @Benchmark
  public float[] axpy() {
    blas.saxpy(size, alpha, x, 1, y, 1);
    return y;
  }

  @Benchmark
  public float[] scale() {
    blas.sscal(size, scaleAlpha, scaled, 1);
    return scaled;
  }
}
