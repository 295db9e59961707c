package dev.flynn.bench;

import dev.ludovic.netlib.blas.JavaBLAS;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

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
  private float[] x;
  private float[] y;
  private float[] scaled;

  @Setup(Level.Trial)
  public void setUp() {
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
    BenchData data = BenchData.generate(size);
    x = data.x();
    y = data.y();
    scaled = data.x();

    float[] scratch = data.y(); // axpy writes y: check it on a copy
    blas.saxpy(size, alpha, x, 1, scratch, 1);
    data.checkAxpy(peer, alpha, scratch);
    data.checkDot(peer, blas.sdot(size, x, 1, y, 1));
    blas.sscal(size, scaleAlpha, scaled, 1);
    data.checkScale(peer, scaleAlpha, scaled);
    if (size > 1) {
      data.checkNorm2(peer, blas.snrm2(size, x, 1));
    }
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
