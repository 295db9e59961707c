package dev.flynn.bench;

import dev.flynn.bench.GemmBenchmark.GemmData;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * ND4J 1.0.0-M2.1 ({@code nd4j-native}, its bundled OpenBLAS) on {@link GemmBenchmark}'s shapes and
 * data: {@code Nd4j.gemm(a, b, c, false, false, 1, 0)} ({@code cblas_sgemm} / {@code dgemm}) into a
 * preallocated {@code c}, and {@code Nd4j.gemm} of the matrix with the vector as a {@code k x 1}
 * matrix for gemv (ND4J's {@code mmul} of a matrix and a column goes the same way).
 *
 * <p><b>Threads.</b> As in {@link Nd4jPeerBenchmark}: {@code threads = 0} leaves ND4J at its
 * defaults (one thread per core, or {@code OMP_NUM_THREADS} when the environment sets it); any
 * other count reaches OpenBLAS and libnd4j through {@code OMP_NUM_THREADS}, written into the C
 * environment before ND4J loads, and {@code setMaxThreads}; the setup reads OpenBLAS's count back
 * and refuses to run if it differs. Each thread count therefore needs its own fork (JMH's default).
 * The first ND4J call takes about 4 s.
 *
 * <p>The {@code peer} parameter, always {@code nd4j}, files these results as a peer's in the report
 * (beside {@link GemmBenchmark}'s Flynn modes on the same shape).
 */
@State(Scope.Benchmark)
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {
      "--add-modules=jdk.incubator.vector",
      "--enable-native-access=ALL-UNNAMED",
      "--sun-misc-unsafe-memory-access=allow",
      "-Xms2g",
      "-Xmx2g"
    })
public class Nd4jGemmBenchmark {

  @Param({"64x64x64", "256x256x256", "1024x1024x1024", "2048x2048x2048", "300x3000x200"})
  public String shape;

  private static final String PEER = "nd4j";

  @Param(PEER)
  public String peer;

  /** OpenBLAS threads, forced before ND4J loads; 0 for ND4J's default. */
  @Param({"1", "0"})
  public int threads;

  private GemmData data;
  private INDArray a;
  private INDArray b;
  private INDArray x;
  private INDArray c;
  private INDArray y;
  private INDArray ad;
  private INDArray bd;
  private INDArray xd;
  private INDArray cd;
  private INDArray yd;

  @Setup(Level.Trial)
  public void setUp() throws Throwable {
    PeerBenchmark.requirePeer(peer, PEER);
    if (threads > 0) {
      Nd4jPeerBenchmark.setNativeEnvironment("OMP_NUM_THREADS", Integer.toString(threads));
    }
    data = GemmData.of(shape);
    int m = data.m();
    int n = data.n();
    int k = data.k();
    a = Nd4j.createFromArray(data.a()).reshape('c', m, k);
    b = Nd4j.createFromArray(data.b()).reshape('c', k, n);
    x = Nd4j.createFromArray(data.x()).reshape('c', k, 1);
    c = Nd4j.create(DataType.FLOAT, new long[] {m, n}, 'c');
    y = Nd4j.create(DataType.FLOAT, new long[] {m, 1}, 'c');
    ad = Nd4j.createFromArray(data.ad()).reshape('c', m, k);
    bd = Nd4j.createFromArray(data.bd()).reshape('c', k, n);
    xd = Nd4j.createFromArray(data.xd()).reshape('c', k, 1);
    cd = Nd4j.create(DataType.DOUBLE, new long[] {m, n}, 'c');
    yd = Nd4j.create(DataType.DOUBLE, new long[] {m, 1}, 'c');
    if (threads > 0) {
      Nd4j.getEnvironment().setMaxMasterThreads(threads);
      Nd4j.factory().blas().setMaxThreads(threads);
    }
    int openBlasThreads =
        (int) Nd4jPeerBenchmark.openBlas("openblas_get_num_threads", ValueLayout.JAVA_INT);
    System.err.println(
        "# nd4j gemm: "
            + Nd4jPeerBenchmark.openBlasString("openblas_get_config")
            + ", core "
            + Nd4jPeerBenchmark.openBlasString("openblas_get_corename")
            + ", OpenBLAS threads "
            + openBlasThreads);
    if (threads > 0 && openBlasThreads != threads) {
      throw new IllegalStateException(
          "OpenBLAS did not take threads="
              + threads
              + ": it runs "
              + openBlasThreads
              + ". Run each thread count in a fork of its own (not -f 0)");
    }
    data.checkGemm("nd4j", gemm().dup('c').data().asFloat());
    data.checkGemm("nd4j", gemmDouble().dup('c').data().asDouble());
    data.checkGemv("nd4j", gemv().dup('c').data().asFloat());
    data.checkGemv("nd4j", gemvDouble().dup('c').data().asDouble());
  }

  @Benchmark
  public INDArray gemm() {
    return Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
  }

  @Benchmark
  public INDArray gemmDouble() {
    return Nd4j.gemm(ad, bd, cd, false, false, 1.0, 0.0);
  }

  @Benchmark
  public INDArray gemv() {
    return Nd4j.gemm(a, x, y, false, false, 1.0, 0.0);
  }

  @Benchmark
  public INDArray gemvDouble() {
    return Nd4j.gemm(ad, xd, yd, false, false, 1.0, 0.0);
  }
}
