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
 *
 * matrix kernels   matrices moved, each once     bytes moved    working set   flops
 * gemm             read A (m x k), B (k x n),    4(mk+kn+mn)    4(mk+kn+mn)   2mnk
 *                  write C (m x n)
 * gemv             read A (m x k), x (k),        4(mk+k+m)      4(mk+k+m)     2mk
 *                  write y (m)
 * </pre>
 *
 * <p>The matrix kernels ({@code C = A B}, {@code y = A x} with {@code beta = 0}) run on a {@code
 * shape} parameter {@code m x n x k} instead of a size ({@link Extent}). Their bytes are the
 * compulsory traffic, each matrix once: a blocked gemm reads A and B several times from cache, so
 * its bytes say little and its GFLOPS against the machine's peak say how good it is.
 *
 * <p>Integer kernels ({@code int}, {@code long} suites) move 4 or 8 bytes per element like float
 * and double; their operations are not floating-point, so they are reported in elements per second.
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
      String kernel,
      int arrays,
      int distinctArrays,
      String moved,
      int flopsPerElement,
      Layout layout) {

    /** A kernel over arrays of n elements. */
    public Cost(String kernel, int arrays, int distinctArrays, String moved, int flopsPerElement) {
      this(kernel, arrays, distinctArrays, moved, flopsPerElement, Layout.ELEMENTS);
    }

    /** Bytes one call moves over {@code extent} in elements of {@code elementBytes} bytes. */
    public double bytes(Extent extent, int elementBytes) {
      return switch (layout) {
        case ELEMENTS -> (double) arrays * elementBytes * extent.elements();
        case GEMM ->
            (double) elementBytes
                * (extent.m() * extent.k() + extent.k() * extent.n() + extent.m() * extent.n());
        case GEMV -> (double) elementBytes * (extent.m() * extent.k() + extent.k() + extent.m());
      };
    }

    /** Bytes of the distinct arrays one call touches: what must fit in a cache. */
    public double workingSet(Extent extent, int elementBytes) {
      return layout == Layout.ELEMENTS
          ? (double) distinctArrays * elementBytes * extent.elements()
          : bytes(extent, elementBytes);
    }

    /** Flops of one call, or NaN when this kernel is counted in elements per second. */
    public double flops(Extent extent) {
      return switch (layout) {
        case ELEMENTS ->
            flopsPerElement == 0 ? Double.NaN : (double) flopsPerElement * extent.elements();
        case GEMM -> 2.0 * extent.m() * extent.n() * extent.k();
        case GEMV -> 2.0 * extent.m() * extent.k();
      };
    }

    /** Whether one call's work is known for this extent: elements, or a matrix shape. */
    public boolean applies(Extent extent) {
      return layout == Layout.ELEMENTS ? extent.elements() > 0 : extent.isMatrix();
    }

    /** Bytes moved per call as a formula over float elements, for the cost table. */
    public String bytesFormula() {
      return switch (layout) {
        case ELEMENTS -> arrays * Float.BYTES + "n";
        case GEMM -> "4(mk+kn+mn)";
        case GEMV -> "4(mk+k+m)";
      };
    }

    /** The working set as a formula over float elements, for the cost table. */
    public String workingSetFormula() {
      return layout == Layout.ELEMENTS ? distinctArrays * Float.BYTES + "n" : bytesFormula();
    }

    /** Flops per call as a formula, or null when counted in elements per second. */
    public String flopsFormula() {
      return switch (layout) {
        case ELEMENTS ->
            flopsPerElement == 0 ? null : (flopsPerElement == 1 ? "" : flopsPerElement) + "n";
        case GEMM -> "2mnk";
        case GEMV -> "2mk";
      };
    }
  }

  /** How a kernel's work grows: with n elements per array, or with a matrix shape. */
  public enum Layout {
    /** Arrays of n elements: bytes and flops are per element. */
    ELEMENTS,
    /** {@code C = A B}: m x k times k x n. */
    GEMM,
    /** {@code y = A x}: m x k times k. */
    GEMV
  }

  /**
   * What one call works on: {@code elements} per array (the {@code size} parameter, or the product
   * of a {@code rows x dim} shape), or a matrix shape {@code m x n x k}; 0 where unknown.
   */
  public record Extent(long elements, long m, long n, long k) {

    /** Elements per array. */
    public static Extent ofElements(long elements) {
      return new Extent(elements, 0, 0, 0);
    }

    /**
     * From a benchmark's {@code size} and {@code shape} parameters: a shape {@code m x n x k} is a
     * matrix product; a shape {@code rows x dim} is {@code rows * dim} elements; else {@code size}.
     */
    public static Extent of(long size, String shape) {
      String[] parts = shape.isEmpty() ? new String[0] : shape.split("x");
      long[] dims = new long[parts.length];
      for (int i = 0; i < parts.length; i++) {
        try {
          dims[i] = Long.parseLong(parts[i].trim());
        } catch (NumberFormatException e) {
          return ofElements(size);
        }
      }
      return switch (dims.length) {
        case 2 -> ofElements(dims[0] * dims[1]);
        case 3 -> new Extent(0, dims[0], dims[1], dims[2]);
        default -> ofElements(size);
      };
    }

    /** Whether this is a matrix shape with every dimension known. */
    public boolean isMatrix() {
      return m > 0 && n > 0 && k > 0;
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
          new Cost("histogram", 1, 1, "read a", 0),
          new Cost("gemm", 3, 3, "read A, read B, write C", 0, Layout.GEMM),
          new Cost("gemv", 3, 3, "read A, read x, write y", 0, Layout.GEMV));

  private KernelCosts() {}

  /** Marks the kernels of double benchmarks, e.g. {@code sum (double)}. */
  public static final String DOUBLE_SUFFIX = " (double)";

  /** Marks the kernels of int benchmarks, e.g. {@code sum (int)}. */
  public static final String INT_SUFFIX = " (int)";

  /** Marks the kernels of long benchmarks, e.g. {@code sum (long)}. */
  public static final String LONG_SUFFIX = " (long)";

  /** The suffixes in the order reports list the types: float (none), double, int, long. */
  private static final List<String> SUFFIXES = List.of("", DOUBLE_SUFFIX, INT_SUFFIX, LONG_SUFFIX);

  /** The label of a kernel over an element type: {@code sum}, {@code sum (double)}... */
  public static String label(String kernel, String type) {
    return switch (type) {
      case "double" -> kernel + DOUBLE_SUFFIX;
      case "int" -> kernel + INT_SUFFIX;
      case "long" -> kernel + LONG_SUFFIX;
      default -> kernel;
    };
  }

  /** The cost of a kernel, if it is one of Flynn's (the element size comes separately). */
  public static Optional<Cost> of(String kernel) {
    String name = baseName(kernel);
    return ALL.stream().filter(c -> c.kernel().equals(name)).findFirst();
  }

  /** Position in {@link #ALL}, float, then double, int, long; unknown kernels after every known. */
  static int order(String kernel) {
    String name = baseName(kernel);
    int typeOffset = suffixIndex(kernel) * (ALL.size() + 1);
    for (int i = 0; i < ALL.size(); i++) {
      if (ALL.get(i).kernel().equals(name)) {
        return typeOffset + i;
      }
    }
    return SUFFIXES.size() * (ALL.size() + 1);
  }

  private static int suffixIndex(String kernel) {
    for (int i = SUFFIXES.size() - 1; i > 0; i--) {
      if (kernel.endsWith(SUFFIXES.get(i))) {
        return i;
      }
    }
    return 0;
  }

  private static String baseName(String kernel) {
    String suffix = SUFFIXES.get(suffixIndex(kernel));
    return kernel.substring(0, kernel.length() - suffix.length());
  }
}
