package dev.flynn.bench.report;

import java.util.List;
import java.util.Optional;

/**
 * What one call of a kernel moves and computes, per element: the single table the roofline is built
 * on. Bytes count each array read once and each array written once (as STREAM counts them: no
 * write-allocate traffic), for {@code float} elements of 4 bytes; a benchmark with a parameter
 * {@code type=double} counts 8.
 *
 * <pre>
 * kernel           arrays moved per element      bytes moved    working set   flops per element
 *                                                (float)        (float)
 * sum              read a                        4n             4n            1 (add)
 * dot              read a, read b                8n             8n            2 (multiply, add)
 * axpy             read x, read y, write y       12n            8n            2 (multiply, add)
 * exp              read x, write out             8n             8n            none: elements/s
 * add sub mul div  read a, read b, write out     12n            12n           1
 * scale            read x, write out             8n             8n            1 (multiply)
 * fma              read a, b, c, write out       16n            16n           2 (multiply, add)
 * min max          read a                        4n             4n            none: elements/s
 * neg abs relu     read x, write out             8n             8n            none: elements/s
 * clamp            read x, write out             8n             8n            none: elements/s
 * sqrt             read x, write out             8n             8n            1 (square root)
 * log tanh sigmoid read x, write out             8n             8n            none: elements/s
 * minimum maximum  read a, read b, write out     12n            12n           none: elements/s
 * select           read a, ifTrue, ifFalse,      16n            16n           none: elements/s
 *                  write out
 * selectPairwise   read a, b, ifTrue, ifFalse,   20n            20n           none: elements/s
 *                  write out
 * argmin argmax    read a                        4n             4n            none: elements/s
 * count            read a                        4n             4n            none: elements/s
 * sumOfSquares     read a                        4n             4n            2 (multiply, add)
 * norm2            read a                        4n             4n            2 (multiply, add)
 * mean             read a                        4n             4n            1 (add)
 * variance,        read a twice (two passes:     8n             4n            5 (add; subtract,
 * sampleVariance,  the mean, then the centered                                 add, multiply,
 * standardDeviation sums)                                                      add)
 * cosine           read a, read b                8n             8n            6 (3 multiply-adds)
 * squaredDistance  read a, read b                8n             8n            3 (sub, mul, add)
 * dotScores        read the matrix (n elements)  4n             4n            2 (multiply, add)
 * cosineScores     read the matrix               4n             4n            4 (2 multiply-adds)
 * squaredDistance- read the matrix               4n             4n            3 (sub, mul, add)
 *   Scores
 * prefixSum        read a, write out             8n             8n            1 (add)
 * histogram        read a                        4n             4n            none: elements/s
 * </pre>
 *
 * <p>For the score kernels n is the number of matrix elements, {@code rows * dim} (in the kernel
 * suites, {@code size}: rows of 128); the query (one row) stays in L1 and the scores are one per
 * row, so neither counts.
 *
 * <p>Bytes moved over the time per call give the achieved bandwidth (GB/s, 10^9 bytes per second);
 * the working set (the distinct arrays touched: {@code axpy} reads and writes the same {@code y})
 * decides which cache level the arrays fit in, and so which measured bandwidth is the roof.
 *
 * <p>{@code exp} is a polynomial of a dozen operations per element whose count differs between the
 * scalar and vector code, and {@code min}/{@code max} compare rather than compute, so for these the
 * report gives elements per second instead of inventing a flop count; so do the transcendental maps
 * ({@code log}, {@code tanh}, {@code sigmoid}) and the maps that move or compare bits rather than
 * compute ({@code neg}, {@code abs}, {@code relu}, {@code clamp}, {@code minimum}, {@code maximum},
 * {@code select}). {@code convert} (float to double, double to float) is not listed: it reads one
 * width and writes the other, which a cost per element of one type cannot express.
 */
public final class KernelCosts {

  /**
   * One kernel's cost per element.
   *
   * @param kernel the kernel's name, as the benchmark method is named
   * @param arrays arrays read plus arrays written, each once per element
   * @param distinctArrays distinct arrays touched: the working set, in arrays
   * @param moved which arrays, in words
   * @param flopsPerElement floating-point operations per element; 0 when elements per second are
   *     reported instead
   */
  public record Cost(
      String kernel, int arrays, int distinctArrays, String moved, int flopsPerElement) {

    /** Bytes one call moves over {@code elements} elements of {@code elementBytes} bytes. */
    public double bytes(long elements, int elementBytes) {
      return (double) arrays * elementBytes * elements;
    }

    /** Bytes of the distinct arrays one call touches: what must fit in a cache. */
    public double workingSet(long elements, int elementBytes) {
      return (double) distinctArrays * elementBytes * elements;
    }

    /** Flops of one call, or NaN when this kernel is counted in elements per second. */
    public double flops(long elements) {
      return flopsPerElement == 0 ? Double.NaN : (double) flopsPerElement * elements;
    }

    /** Flops per byte moved; NaN when this kernel has no flop count. */
    public double arithmeticIntensity(int elementBytes) {
      return flopsPerElement == 0 ? Double.NaN : (double) flopsPerElement / (arrays * elementBytes);
    }
  }

  /** Every kernel Flynn has, in the order reports list them. */
  public static final List<Cost> ALL =
      List.of(
          new Cost("sum", 1, 1, "read a", 1),
          new Cost("dot", 2, 2, "read a, read b", 2),
          new Cost("axpy", 3, 2, "read x, read y, write y", 2),
          new Cost("exp", 2, 2, "read x, write out", 0),
          new Cost("add", 3, 3, "read a, read b, write out", 1),
          new Cost("sub", 3, 3, "read a, read b, write out", 1),
          new Cost("mul", 3, 3, "read a, read b, write out", 1),
          new Cost("div", 3, 3, "read a, read b, write out", 1),
          new Cost("scale", 2, 2, "read x, write out", 1),
          new Cost("fma", 4, 4, "read a, read b, read c, write out", 2),
          new Cost("min", 1, 1, "read a", 0),
          new Cost("max", 1, 1, "read a", 0),
          new Cost("neg", 2, 2, "read x, write out", 0),
          new Cost("abs", 2, 2, "read x, write out", 0),
          new Cost("sqrt", 2, 2, "read x, write out", 1),
          new Cost("log", 2, 2, "read x, write out", 0),
          new Cost("tanh", 2, 2, "read x, write out", 0),
          new Cost("sigmoid", 2, 2, "read x, write out", 0),
          new Cost("relu", 2, 2, "read x, write out", 0),
          new Cost("clamp", 2, 2, "read x, write out", 0),
          new Cost("minimum", 3, 3, "read a, read b, write out", 0),
          new Cost("maximum", 3, 3, "read a, read b, write out", 0),
          new Cost("select", 4, 4, "read a, ifTrue, ifFalse, write out", 0),
          new Cost("selectPairwise", 5, 5, "read a, b, ifTrue, ifFalse, write out", 0),
          new Cost("argmin", 1, 1, "read a", 0),
          new Cost("argmax", 1, 1, "read a", 0),
          new Cost("sumOfSquares", 1, 1, "read a", 2),
          new Cost("norm2", 1, 1, "read a", 2),
          new Cost("mean", 1, 1, "read a", 1),
          new Cost("variance", 2, 1, "read a twice (two passes)", 5),
          new Cost("sampleVariance", 2, 1, "read a twice (two passes)", 5),
          new Cost("standardDeviation", 2, 1, "read a twice (two passes)", 5),
          new Cost("count", 1, 1, "read a", 0),
          new Cost("cosine", 2, 2, "read a, read b", 6),
          new Cost("squaredDistance", 2, 2, "read a, read b", 3),
          new Cost("dotScores", 1, 1, "read the matrix", 2),
          new Cost("cosineScores", 1, 1, "read the matrix", 4),
          new Cost("squaredDistanceScores", 1, 1, "read the matrix", 3),
          new Cost("prefixSum", 2, 2, "read a, write out", 1),
          new Cost("histogram", 1, 1, "read a", 0));

  private KernelCosts() {}

  /** Marks the kernels of double benchmarks, e.g. {@code sum (double)}. */
  public static final String DOUBLE_SUFFIX = " (double)";

  /** The cost of a kernel, if it is one of Flynn's (the element size comes separately). */
  public static Optional<Cost> of(String kernel) {
    String name = baseName(kernel);
    return ALL.stream().filter(c -> c.kernel().equals(name)).findFirst();
  }

  /** Position in {@link #ALL}, float before double, unknown kernels after every known one. */
  static int order(String kernel) {
    String name = baseName(kernel);
    int typeOffset = kernel.endsWith(DOUBLE_SUFFIX) ? ALL.size() + 1 : 0;
    for (int i = 0; i < ALL.size(); i++) {
      if (ALL.get(i).kernel().equals(name)) {
        return typeOffset + i;
      }
    }
    return 2 * ALL.size() + 2;
  }

  private static String baseName(String kernel) {
    return kernel.endsWith(DOUBLE_SUFFIX)
        ? kernel.substring(0, kernel.length() - DOUBLE_SUFFIX.length())
        : kernel;
  }
}
