package dev.flynn.bench;

import static java.util.Map.entry;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.bytedeco.javacpp.Loader;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.CumSum;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Exp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * ND4J 1.0.0-M2.1 on its CPU backend ({@code nd4j-native}): libnd4j's own loops for {@code sum},
 * {@code exp}, {@code scale}, {@code add} and {@code mul}, its bundled OpenBLAS for {@code dot}
 * ({@code cblas_sdot}) and {@code axpy} ({@code cblas_saxpy}). The calls are the ones an ND4J user
 * writes, on INDArrays created once from the {@link BenchData} arrays, writing into preallocated
 * outputs: {@code x.sumNumber()}, {@code Nd4j.getBlasWrapper().dot(x, y)}, {@code level1().axpy(n,
 * alpha, x, y)}, {@code exec(new Exp(x, out))}, {@code x.mul(alpha, out)}, {@code x.add(y, out)},
 * {@code x.mul(y, out)}; and for the statistics {@code x.norm2Number()}, {@code Nd4j.argMax(x)},
 * {@code x.meanNumber()}, {@code x.varNumber()} (bias-corrected, so Flynn's {@code sampleVariance})
 * and {@code x.stdNumber(false)} (population, Flynn's {@code standardDeviation}). ({@code
 * sumNumber} and the other reductions allocate their one-element result, as they do for every
 * user.) Similarity: {@code Transforms.cosineSim(x, y)}, {@code x.squaredDistance(y)}, and for the
 * scores of one query against a matrix {@code matrix.mmul(query, scores)}; the prefix sum: {@code
 * exec(new CumSum(x, out, false, false, 0))}.
 *
 * <p><b>Threads.</b> {@code threads = 0} leaves ND4J at its defaults (one thread per core, or
 * {@code OMP_NUM_THREADS} when the environment sets it). Any other count must reach libnd4j before
 * it loads: its reductions size their thread pool from {@code OMP_NUM_THREADS}, read once, and
 * {@code Environment.setMaxThreads} is a no-op in this release. JMH cannot give a fork its own
 * environment, so the setup writes {@code OMP_NUM_THREADS} into the C environment with {@code
 * setenv} before the first ND4J call, then also sets libnd4j's master threads and OpenBLAS's thread
 * count, reads all three back and refuses to run if any differs. That is why each thread count
 * needs its own fork (JMH's default; {@code -f 0} cannot work).
 *
 * <p>The setup prints one line to stderr with the libnd4j binary, OpenBLAS's build and the core
 * type it runs (ND4J's OpenBLAS 0.3.19 does not know Zen 5, hence {@code OPENBLAS_CORETYPE}), and
 * the thread counts.
 */
public class Nd4jPeerBenchmark extends PeerBenchmark {

  private static final String PEER = "nd4j";

  @Param(PEER)
  public String peer;

  /** 1, or 0 for ND4J's default (see the class comment). */
  @Param({"1", "0"})
  public int threads;

  private BenchData data;
  private int rows;
  private float[] rowsOfX;
  private float[] queryOfY;
  private INDArray x;
  private INDArray y;
  private INDArray out;
  private INDArray matrix;
  private INDArray query;
  private INDArray scores;

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) throws Throwable {
    prepare();
    checkTimedKernel(params.getBenchmark());
  }

  /** The trial's data and state, without the check (the tests run every check after it). */
  void prepare() throws Throwable {
    requirePeer(peer, PEER);
    if (threads > 0) {
      setNativeEnvironment("OMP_NUM_THREADS", Integer.toString(threads)); // before ND4J loads
    }
    data = BenchData.generate(size);
    x = Nd4j.createFromArray(data.x());
    y = Nd4j.createFromArray(data.y());
    out = Nd4j.createUninitialized(DataType.FLOAT, size);
    if (threads > 0) {
      Nd4j.getEnvironment().setMaxMasterThreads(threads);
      Nd4j.factory().blas().setMaxThreads(threads);
    }
    describeAndCheckThreads();

    rows = SimilarityChecks.rows(size);
    rowsOfX = Arrays.copyOf(data.x(), rows * SimilarityChecks.DIM);
    queryOfY = Arrays.copyOf(data.y(), SimilarityChecks.DIM);
    matrix = Nd4j.create(rowsOfX, new long[] {rows, SimilarityChecks.DIM}, 'c');
    query = Nd4j.create(queryOfY, new long[] {SimilarityChecks.DIM, 1}, 'c');
    scores = Nd4j.createUninitialized(DataType.FLOAT, rows, 1);
  }

  /**
   * ND4J's answers, each against its naive reference. Its float norm2 drifts by about 1% at 16 Mi
   * elements and its squaredDistance by 3%: those forks fail, and only those.
   */
  @Override
  Map<String, Runnable> checks() {
    return Map.ofEntries(
        entry("sum", () -> data.checkSum(peer, sum())),
        entry("dot", () -> data.checkDot(peer, dot())),
        entry(
            "axpy",
            () -> {
              INDArray scratch = Nd4j.createFromArray(data.y()); // axpy writes y: use a copy
              Nd4j.getBlasWrapper().level1().axpy(size, alpha, x, scratch);
              data.checkAxpy(peer, alpha, scratch.toFloatVector());
            }),
        entry("exp", () -> data.checkExp(peer, exp().toFloatVector())),
        entry("scale", () -> data.checkScale(peer, scaleAlpha, scale().toFloatVector())),
        entry("add", () -> data.checkAdd(peer, add().toFloatVector())),
        entry("mul", () -> data.checkMul(peer, mul().toFloatVector())),
        entry("norm2", () -> data.checkNorm2(peer, norm2())),
        entry("argmax", () -> data.checkArgmax(peer, argmax())),
        entry("mean", () -> data.checkMean(peer, mean())),
        // varNumber() is bias-corrected (n - 1); stdNumber(false) is the population form (n)
        entry("sampleVariance", () -> data.checkSampleVariance(peer, sampleVariance())),
        entry("standardDeviation", () -> data.checkStandardDeviation(peer, standardDeviation())),
        entry("cosine", () -> SimilarityChecks.cosine(peer, data.x(), data.y(), cosine())),
        entry(
            "squaredDistance",
            () -> SimilarityChecks.squaredDistance(peer, data.x(), data.y(), squaredDistance())),
        entry(
            "dotScores",
            () ->
                SimilarityChecks.scores(
                    peer,
                    "dotScores",
                    queryOfY,
                    rowsOfX,
                    rows,
                    SimilarityChecks.DIM,
                    dotScores().toFloatVector())),
        entry("prefixSum", () -> data.checkPrefixSum(peer, prefixSum().toFloatVector())));
  }

  @Benchmark
  public float sum() {
    return x.sumNumber().floatValue();
  }

  @Benchmark
  public double dot() {
    return Nd4j.getBlasWrapper().dot(x, y);
  }

  @Benchmark
  public INDArray axpy() {
    Nd4j.getBlasWrapper().level1().axpy(size, alpha, x, y);
    return y;
  }

  @Benchmark
  public INDArray exp() {
    return Nd4j.getExecutioner().exec(new Exp(x, out));
  }

  @Benchmark
  public INDArray scale() {
    return x.mul(scaleAlpha, out);
  }

  @Benchmark
  public INDArray add() {
    return x.add(y, out);
  }

  @Benchmark
  public INDArray mul() {
    return x.mul(y, out);
  }

  @Benchmark
  public float norm2() {
    return x.norm2Number().floatValue();
  }

  @Benchmark
  public long argmax() {
    return Nd4j.argMax(x).getLong(0);
  }

  @Benchmark
  public float mean() {
    return x.meanNumber().floatValue();
  }

  /** ND4J's {@code varNumber()} is bias-corrected (denominator n - 1): Flynn's sampleVariance. */
  @Benchmark
  public float sampleVariance() {
    return x.varNumber().floatValue();
  }

  /** {@code stdNumber(false)}: not bias-corrected, Flynn's (population) standardDeviation. */
  @Benchmark
  public float standardDeviation() {
    return x.stdNumber(false).floatValue();
  }

  /** {@code Transforms.cosineSim(x, y)}: libnd4j's reduce3 cosine similarity. */
  @Benchmark
  public double cosine() {
    return Transforms.cosineSim(x, y);
  }

  /** {@code x.squaredDistance(y)}: libnd4j's reduce3 Euclidean distance, squared. */
  @Benchmark
  public double squaredDistance() {
    return x.squaredDistance(y);
  }

  /**
   * {@code matrix.mmul(query, scores)}: OpenBLAS's {@code sgemv} over the first {@code size / 128}
   * rows of 128 elements of x, the query being the first 128 elements of y.
   */
  @Benchmark
  public INDArray dotScores() {
    return matrix.mmul(query, scores);
  }

  /**
   * {@code INDArray.cumsum} as libnd4j's {@code cumsum} op, writing into the preallocated output
   * ({@code x.cumsum(0)} is the same op into a new array). ND4J's {@code histogram} op bins over
   * the data's own [min, max], not given bounds, so it has no peer of Flynn's histogram here.
   */
  @Benchmark
  public INDArray prefixSum() {
    Nd4j.exec(new CumSum(x, out, false, false, 0));
    return out;
  }

  /** Prints what runs, and throws when a requested thread count did not take. */
  private void describeAndCheckThreads() throws Throwable {
    NativeOps nativeOps = NativeOpsHolder.getInstance().getDeviceNativeOps();
    int libnd4jThreads = Nd4j.getEnvironment().maxThreads();
    int masterThreads = Nd4j.getEnvironment().maxMasterThreads();
    int blasThreads = Nd4j.factory().blas().getMaxThreads();
    int openBlasThreads = (int) openBlas("openblas_get_num_threads", ValueLayout.JAVA_INT);
    System.err.println(
        "# nd4j: libnd4j "
            + Loader.getPlatform()
            + System.getProperty("org.bytedeco.javacpp.platform.extension", "")
            + " (binary level "
            + nativeOps.binaryLevel()
            + ", this CPU's optimal level "
            + nativeOps.optimalLevel()
            + "; 1 x86-64, 2 AVX2, 3 AVX-512); "
            + openBlasString("openblas_get_config")
            + ", running core "
            + openBlasString("openblas_get_corename")
            + " (OPENBLAS_CORETYPE="
            + System.getenv("OPENBLAS_CORETYPE")
            + "); threads: libnd4j "
            + libnd4jThreads
            + " (master "
            + masterThreads
            + "), OpenBLAS "
            + openBlasThreads);
    if (threads > 0
        && (libnd4jThreads != threads
            || masterThreads != threads
            || blasThreads != threads
            || openBlasThreads != threads)) {
      throw new IllegalStateException(
          "ND4J did not take threads="
              + threads
              + ": libnd4j "
              + libnd4jThreads
              + ", master "
              + masterThreads
              + ", ND4J's BLAS "
              + blasThreads
              + ", OpenBLAS "
              + openBlasThreads
              + ". libnd4j reads OMP_NUM_THREADS once, when it loads: run each thread count in a"
              + " fork of its own (not -f 0)");
    }
  }

  /**
   * Sets a variable in the C environment of this process, where native libraries loaded later read
   * it ({@link System#getenv} keeps its own copy and does not see the change).
   */
  @SuppressWarnings("restricted")
  static void setNativeEnvironment(String name, String value) throws Throwable {
    Linker linker = Linker.nativeLinker();
    MethodHandle setenv =
        linker.downcallHandle(
            linker.defaultLookup().find("setenv").orElseThrow(),
            FunctionDescriptor.of(
                ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS,
                ValueLayout.ADDRESS,
                ValueLayout.JAVA_INT));
    try (Arena arena = Arena.ofConfined()) {
      int status = (int) setenv.invokeExact(arena.allocateFrom(name), arena.allocateFrom(value), 1);
      if (status != 0) {
        throw new IllegalStateException("setenv(" + name + ", " + value + ") failed: " + status);
      }
    }
  }

  /** Calls a no-argument OpenBLAS function of the library that ND4J loaded. */
  @SuppressWarnings("restricted")
  static Object openBlas(String function, ValueLayout result) throws Throwable {
    Optional<MemorySegment> symbol = SymbolLookup.loaderLookup().find(function);
    if (symbol.isEmpty()) {
      throw new IllegalStateException("OpenBLAS's " + function + " is not loaded");
    }
    return Linker.nativeLinker()
        .downcallHandle(symbol.get(), FunctionDescriptor.of(result))
        .invoke();
  }

  @SuppressWarnings("restricted")
  static String openBlasString(String function) throws Throwable {
    MemorySegment text = (MemorySegment) openBlas(function, ValueLayout.ADDRESS);
    return text.reinterpret(1024).getString(0);
  }
}
