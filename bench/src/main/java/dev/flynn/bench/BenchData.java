package dev.flynn.bench;

import java.util.SplittableRandom;

/**
 * The inputs every benchmark measures, and the naive {@code double} references that each one's
 * answers are checked against before timing starts. Flynn's peer benchmarks all draw from here, so
 * that at a given size they all see the very same numbers: {@code x} and {@code y} uniform in [-1,
 * 1), drawn alternately from one {@link SplittableRandom} seeded with {@link #SEED} (the numbers
 * {@link DemoBenchmark} generates for its {@code x} and {@code y} too).
 *
 * <p>The checks throw {@link IllegalStateException} with the values when an answer is wrong: a fast
 * wrong answer is not a result.
 */
public final class BenchData {

  /** Seed of the generator; fixed, so that every run and every peer sees the same data. */
  public static final long SEED = 42;

  /** The {@code alpha} of {@code axpy}: small, so that millions of calls barely move {@code y}. */
  public static final float AXPY_ALPHA = 1e-3f;

  /**
   * The {@code alpha} of {@code scale}. BLAS scales in place, and any factor but +-1 applied
   * millions of times drives the values to zero or infinity; -1 costs the same multiply and keeps
   * them exact. (+1 would not do: netlib skips the work when {@code alpha == 1}.)
   */
  public static final float SCALE_ALPHA = -1f;

  private final float[] x;
  private final float[] y;

  private BenchData(float[] x, float[] y) {
    this.x = x;
    this.y = y;
  }

  /** The data for arrays of {@code size} elements. */
  public static BenchData generate(int size) {
    SplittableRandom random = new SplittableRandom(SEED);
    float[] x = new float[size];
    float[] y = new float[size];
    for (int i = 0; i < size; i++) {
      x[i] = (float) (random.nextDouble() * 2 - 1);
      y[i] = (float) (random.nextDouble() * 2 - 1);
    }
    return new BenchData(x, y);
  }

  /** A fresh copy of {@code x}, for the caller to keep. */
  public float[] x() {
    return x.clone();
  }

  /** A fresh copy of {@code y}, for the caller to keep. */
  public float[] y() {
    return y.clone();
  }

  /** Checks a {@code sum(x)} to within {@code 1e-4 * sum|x_i|}. */
  public void checkSum(String who, double actual) {
    double sum = 0;
    double magnitude = 0;
    for (float v : x) {
      sum += v;
      magnitude += Math.abs(v);
    }
    Checks.near(who, "sum", actual, sum, 1e-4 * magnitude + 1e-6);
  }

  /** Checks a {@code dot(x, y)} to within {@code 1e-4 * sum|x_i y_i|}. */
  public void checkDot(String who, double actual) {
    double dot = 0;
    double magnitude = 0;
    for (int i = 0; i < x.length; i++) {
      double product = (double) x[i] * y[i];
      dot += product;
      magnitude += Math.abs(product);
    }
    Checks.near(who, "dot", actual, dot, 1e-4 * magnitude + 1e-6);
  }

  /**
   * Checks {@code y + alpha * x} computed from the original {@code y}: one rounding (fused) or two,
   * so within one ulp of the result plus one of the product.
   */
  public void checkAxpy(String who, float alpha, float[] actual) {
    requireLength(who, "axpy", actual);
    for (int i = 0; i < x.length; i++) {
      double product = (double) alpha * x[i];
      double expected = y[i] + product;
      double tolerance = Math.ulp((float) expected) + Math.ulp((float) product);
      Checks.nearAt(who, "axpy", i, actual[i], expected, tolerance);
    }
  }

  /** Checks {@code alpha * x}, correctly rounded. */
  public void checkScale(String who, float alpha, float[] actual) {
    requireLength(who, "scale", actual);
    for (int i = 0; i < x.length; i++) {
      double expected = (double) alpha * x[i];
      Checks.nearAt(who, "scale", i, actual[i], expected, Math.ulp((float) expected) / 2);
    }
  }

  /** Checks {@code x + y}, correctly rounded. */
  public void checkAdd(String who, float[] actual) {
    requireLength(who, "add", actual);
    for (int i = 0; i < x.length; i++) {
      double expected = (double) x[i] + y[i];
      Checks.nearAt(who, "add", i, actual[i], expected, Math.ulp((float) expected) / 2);
    }
  }

  /** Checks {@code x * y}, correctly rounded. */
  public void checkMul(String who, float[] actual) {
    requireLength(who, "mul", actual);
    for (int i = 0; i < x.length; i++) {
      double expected = (double) x[i] * y[i];
      Checks.nearAt(who, "mul", i, actual[i], expected, Math.ulp((float) expected) / 2);
    }
  }

  /**
   * Checks the inclusive prefix sum of {@code x} against a running sum in double, to within {@code
   * 1e-5 sum_(j<=i) |x_j|} and an ulp: room for a float running sum's rounding, none for a slip.
   */
  public void checkPrefixSum(String who, float[] actual) {
    requireLength(who, "prefixSum", actual);
    double run = 0;
    double magnitude = 0;
    for (int i = 0; i < x.length; i++) {
      run += x[i];
      magnitude += Math.abs(x[i]);
      Checks.nearAt(who, "prefixSum", i, actual[i], run, 1e-5 * magnitude + Math.ulp((float) run));
    }
  }

  /** Checks {@code e^x} to within 2 ulps, on about a thousand elements spread over the array. */
  public void checkExp(String who, float[] actual) {
    requireLength(who, "exp", actual);
    int step = Math.max(1, x.length / 1000);
    for (int i = 0; i < x.length; i += step) {
      checkExpAt(who, actual, i);
    }
    if (x.length > 0) {
      checkExpAt(who, actual, x.length - 1); // the scalar tail, whatever the step
    }
  }

  private void checkExpAt(String who, float[] actual, int i) {
    double expected = Math.exp(x[i]);
    Checks.nearAt(who, "exp", i, actual[i], expected, 2 * Math.ulp((float) expected));
  }

  /** Checks {@code norm2(x)} to within {@code 1e-5} relative. */
  public void checkNorm2(String who, double actual) {
    double squares = 0;
    for (float v : x) {
      squares += (double) v * v;
    }
    double norm = Math.sqrt(squares);
    Checks.near(who, "norm2", actual, norm, 1e-5 * norm);
  }

  /** Checks {@code argmax(x)}: the first position of the greatest element, exactly. */
  public void checkArgmax(String who, long actual) {
    int expected = 0;
    for (int i = 1; i < x.length; i++) {
      expected = x[i] > x[expected] ? i : expected;
    }
    Checks.near(who, "argmax", actual, expected, 0);
  }

  /** Checks {@code mean(x)} to within {@code 1e-4 * mean|x_i|}. */
  public void checkMean(String who, double actual) {
    double sum = 0;
    double magnitude = 0;
    for (float v : x) {
      sum += v;
      magnitude += Math.abs(v);
    }
    Checks.near(who, "mean", actual, sum / x.length, 1e-4 * magnitude / x.length + 1e-9);
  }

  /** Checks the sample variance of x (denominator n - 1) to within {@code 1e-4} relative. */
  public void checkSampleVariance(String who, double actual) {
    double variance = squaredDeviations() / (x.length - 1);
    Checks.near(who, "sampleVariance", actual, variance, 1e-4 * variance);
  }

  /** Checks the population standard deviation of x to within {@code 1e-4} relative. */
  public void checkStandardDeviation(String who, double actual) {
    double deviation = Math.sqrt(squaredDeviations() / x.length);
    Checks.near(who, "standardDeviation", actual, deviation, 1e-4 * deviation);
  }

  private double squaredDeviations() {
    double sum = 0;
    for (float v : x) {
      sum += v;
    }
    double mean = sum / x.length;
    double squares = 0;
    for (float v : x) {
      squares += (v - mean) * (v - mean);
    }
    return squares;
  }

  private void requireLength(String who, String kernel, float[] actual) {
    if (actual.length != x.length) {
      throw new IllegalStateException(
          who + " " + kernel + " gave " + actual.length + " elements, expected " + x.length);
    }
  }
}
