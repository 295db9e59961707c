package dev.flynn.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD float matrix kernels on the preferred vector species. Loaded by name from {@link Kernels}
 * only after {@code VectorSupport} has said the Vector API is usable.
 *
 * <p>{@code gemm} follows GotoBLAS/BLIS: {@code op(B)} and {@code op(A)} are packed, block by
 * block, into contiguous buffers in micro-panel order (zero-padded to whole micro-panels, which
 * also absorbs the transpositions), and a register-blocked micro-kernel computes each {@link #MR} x
 * {@link #NR} tile of {@code C} with broadcast-{@code A} multiply-adds; the block sizes come from
 * {@link GemmBlocking}. The tile is added to {@code C} with masked vector stores at the right and
 * bottom edges. Packing buffers live in a per-thread workspace, allocated on a thread's first call
 * and grown only when a larger problem needs it: nothing is allocated per block or per tile.
 *
 * <p>{@code gemv} without transposition runs one dot product per row (four vector accumulators,
 * lanes folded in index order, scalar tail); with transposition it adds scaled rows of {@code A} to
 * {@code y}, four rows per pass over {@code y}.
 */
final class VectorFloatMatrixKernels implements FloatMatrixKernels {

  static final VectorSpecies<Float> FLOAT_SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int LANES = FLOAT_SPECIES.length();

  /**
   * Rows of the micro-kernel's tile. Six rows of two vectors keep 12 accumulators, 2 vectors of
   * {@code B} and one broadcast in 15 registers, which fits the 16 vector registers of AVX2 as well
   * as the 32 of AVX-512. Measured in cache on the reference machine (AMD Zen 5, AVX-512; a scratch
   * timing loop over a packed 96 x 256 block of A and 256 x 384 of B): 6 x 32 ran at 193 to 208
   * GFLOPS, 8 x 32 and 12 x 32 at 204 to 224 (the peak is about 214 at the base clock), so the
   * portable shape costs a few percent at most. Larger tiles must keep the write-back out of the
   * micro-kernel: with it inlined C2 hits its node limit and boxes the accumulators (15 GFLOPS).
   */
  static final int MR = 6;

  /** Columns of the micro-kernel's tile: two vectors. */
  static final int NR = 2 * LANES;

  // The block sizes, read on the first gemm (finding the cache sizes may run getconf) and constant
  // for the JIT from then on.
  private static final class Blocking {
    static final GemmBlocking SIZES = GemmBlocking.of(Float.BYTES, MR, NR);
    static final int KC = SIZES.kc();
    static final int MC = SIZES.mc();
    static final int NC = SIZES.nc();
  }

  private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

  VectorFloatMatrixKernels() {}

  @Override
  public String name() {
    return "vector-" + FLOAT_SPECIES.vectorBitSize();
  }

  @Override
  public int tileRows() {
    return MR;
  }

  @Override
  public int tileColumns() {
    return NR;
  }

  /** The block sizes, for logs and benchmarks. */
  static GemmBlocking blocking() {
    return Blocking.SIZES;
  }

  // ---------------------------------------------------------------- gemm

  @Override
  public void gemm(
      boolean transA,
      boolean transB,
      int m,
      int n,
      int k,
      float alpha,
      float[] a,
      int aOffset,
      int lda,
      float[] b,
      int bOffset,
      int ldb,
      float beta,
      float[] c,
      int cOffset,
      int ldc) {
    if (m == 0 || n == 0) {
      return;
    }
    if (alpha == 0 || k == 0) {
      ScalarFloatMatrixKernels.scale(beta, m, n, c, cOffset, ldc);
      return;
    }
    Workspace w = WORKSPACE.get();
    for (int jc = 0; jc < n; jc += Blocking.NC) {
      int nc = Math.min(Blocking.NC, n - jc);
      for (int pc = 0; pc < k; pc += Blocking.KC) {
        int kc = Math.min(Blocking.KC, k - pc);
        float[] packedB = w.packedB(kc * roundUp(nc, NR));
        packB(transB, b, bOffset, ldb, pc, jc, kc, nc, packedB);
        for (int ic = 0; ic < m; ic += Blocking.MC) {
          int mc = Math.min(Blocking.MC, m - ic);
          float[] packedA = w.packedA(roundUp(mc, MR) * kc);
          packA(transA, a, aOffset, lda, ic, pc, mc, kc, packedA);
          int cBlock = cOffset + ic * ldc + jc;
          for (int jr = 0; jr < nc; jr += NR) {
            for (int ir = 0; ir < mc; ir += MR) {
              microKernel(kc, packedA, ir * kc, packedB, jr * kc, w.tile);
              addTile(
                  w.tile,
                  Math.min(MR, mc - ir),
                  Math.min(NR, nc - jr),
                  alpha,
                  beta,
                  pc == 0,
                  c,
                  cBlock + ir * ldc + jr,
                  ldc);
            }
          }
        }
      }
    }
  }

  /**
   * The register-blocked micro-kernel: {@code tile = Ap * Bp} for one packed micro-panel of {@code
   * A} ({@code kc x MR}, column by column) and one of {@code B} ({@code kc x NR}, row by row). Per
   * step of {@code p}: two loads of {@code B}, six broadcasts of {@code A}, twelve multiply-adds
   * into twelve independent accumulators (more than the 2 pipes x 4 cycles of FMA latency need).
   * Writing the accumulators to a small tile, rather than adding them to {@code C} here, keeps this
   * method small enough for C2 to keep every accumulator in a register.
   */
  private static void microKernel(
      int kc, float[] packedA, int aAt, float[] packedB, int bAt, float[] tile) {
    FloatVector c00 = FloatVector.zero(FLOAT_SPECIES);
    FloatVector c01 = c00;
    FloatVector c10 = c00;
    FloatVector c11 = c00;
    FloatVector c20 = c00;
    FloatVector c21 = c00;
    FloatVector c30 = c00;
    FloatVector c31 = c00;
    FloatVector c40 = c00;
    FloatVector c41 = c00;
    FloatVector c50 = c00;
    FloatVector c51 = c00;
    for (int p = 0; p < kc; p++) {
      int bi = bAt + p * NR;
      int ai = aAt + p * MR;
      FloatVector b0 = FloatVector.fromArray(FLOAT_SPECIES, packedB, bi);
      FloatVector b1 = FloatVector.fromArray(FLOAT_SPECIES, packedB, bi + LANES);
      FloatVector a0 = FloatVector.broadcast(FLOAT_SPECIES, packedA[ai]);
      c00 = mulAdd(a0, b0, c00);
      c01 = mulAdd(a0, b1, c01);
      FloatVector a1 = FloatVector.broadcast(FLOAT_SPECIES, packedA[ai + 1]);
      c10 = mulAdd(a1, b0, c10);
      c11 = mulAdd(a1, b1, c11);
      FloatVector a2 = FloatVector.broadcast(FLOAT_SPECIES, packedA[ai + 2]);
      c20 = mulAdd(a2, b0, c20);
      c21 = mulAdd(a2, b1, c21);
      FloatVector a3 = FloatVector.broadcast(FLOAT_SPECIES, packedA[ai + 3]);
      c30 = mulAdd(a3, b0, c30);
      c31 = mulAdd(a3, b1, c31);
      FloatVector a4 = FloatVector.broadcast(FLOAT_SPECIES, packedA[ai + 4]);
      c40 = mulAdd(a4, b0, c40);
      c41 = mulAdd(a4, b1, c41);
      FloatVector a5 = FloatVector.broadcast(FLOAT_SPECIES, packedA[ai + 5]);
      c50 = mulAdd(a5, b0, c50);
      c51 = mulAdd(a5, b1, c51);
    }
    c00.intoArray(tile, 0);
    c01.intoArray(tile, LANES);
    c10.intoArray(tile, NR);
    c11.intoArray(tile, NR + LANES);
    c20.intoArray(tile, 2 * NR);
    c21.intoArray(tile, 2 * NR + LANES);
    c30.intoArray(tile, 3 * NR);
    c31.intoArray(tile, 3 * NR + LANES);
    c40.intoArray(tile, 4 * NR);
    c41.intoArray(tile, 4 * NR + LANES);
    c50.intoArray(tile, 5 * NR);
    c51.intoArray(tile, 5 * NR + LANES);
  }

  /**
   * Adds the {@code rows x cols} corner of a tile to {@code C}: on the first block of the inner
   * dimension {@code C = alpha * tile + beta * C} ({@code C} unread when {@code beta == 0}), on the
   * later ones {@code C = alpha * tile + C}. Masked loads and stores at the right edge.
   */
  private static void addTile(
      float[] tile,
      int rows,
      int cols,
      float alpha,
      float beta,
      boolean first,
      float[] c,
      int cAt,
      int ldc) {
    FloatVector alphas = FloatVector.broadcast(FLOAT_SPECIES, alpha);
    for (int r = 0; r < rows; r++) {
      int ci = cAt + r * ldc;
      for (int col = 0; col < cols; col += LANES) {
        FloatVector acc = FloatVector.fromArray(FLOAT_SPECIES, tile, r * NR + col);
        if (cols - col >= LANES) {
          FloatVector out;
          if (!first) {
            out = mulAdd(acc, alphas, FloatVector.fromArray(FLOAT_SPECIES, c, ci + col));
          } else if (beta == 0) {
            out = acc.mul(alphas);
          } else {
            out = mulAdd(acc, alphas, FloatVector.fromArray(FLOAT_SPECIES, c, ci + col).mul(beta));
          }
          out.intoArray(c, ci + col);
        } else {
          VectorMask<Float> mask = FLOAT_SPECIES.indexInRange(col, cols);
          FloatVector out;
          if (!first) {
            out = mulAdd(acc, alphas, FloatVector.fromArray(FLOAT_SPECIES, c, ci + col, mask));
          } else if (beta == 0) {
            out = acc.mul(alphas);
          } else {
            FloatVector old = FloatVector.fromArray(FLOAT_SPECIES, c, ci + col, mask);
            out = mulAdd(acc, alphas, old.mul(beta));
          }
          out.intoArray(c, ci + col, mask);
        }
      }
    }
  }

  /**
   * Packs {@code op(A)} rows {@code [ic, ic + mc)}, columns {@code [pc, pc + kc)} into micro-panels
   * of {@link #MR} rows: element {@code (i, p)} of the block goes to {@code packed[(i / MR) * MR *
   * kc + p * MR + i % MR]}; rows past {@code mc} are zeros.
   */
  private static void packA(
      boolean transA,
      float[] a,
      int aOffset,
      int lda,
      int ic,
      int pc,
      int mc,
      int kc,
      float[] packed) {
    for (int ir = 0; ir < mc; ir += MR) {
      int rows = Math.min(MR, mc - ir);
      int base = ir * kc;
      if (transA) {
        // op(A)(i, p) = A(p, i): for each p, the panel's rows are contiguous in A.
        for (int p = 0; p < kc; p++) {
          int src = aOffset + (pc + p) * lda + ic + ir;
          int dst = base + p * MR;
          for (int r = 0; r < rows; r++) {
            packed[dst + r] = a[src + r];
          }
          for (int r = rows; r < MR; r++) {
            packed[dst + r] = 0f;
          }
        }
      } else {
        for (int r = 0; r < MR; r++) {
          int dst = base + r;
          if (r < rows) {
            int src = aOffset + (ic + ir + r) * lda + pc;
            for (int p = 0; p < kc; p++) {
              packed[dst + p * MR] = a[src + p];
            }
          } else {
            for (int p = 0; p < kc; p++) {
              packed[dst + p * MR] = 0f;
            }
          }
        }
      }
    }
  }

  /**
   * Packs {@code op(B)} rows {@code [pc, pc + kc)}, columns {@code [jc, jc + nc)} into micro-panels
   * of {@link #NR} columns: element {@code (p, j)} of the block goes to {@code packed[(j / NR) * NR
   * * kc + p * NR + j % NR]}; columns past {@code nc} are zeros.
   */
  private static void packB(
      boolean transB,
      float[] b,
      int bOffset,
      int ldb,
      int pc,
      int jc,
      int kc,
      int nc,
      float[] packed) {
    for (int jr = 0; jr < nc; jr += NR) {
      int cols = Math.min(NR, nc - jr);
      int base = jr * kc;
      if (transB) {
        // op(B)(p, j) = B(j, p): each column of the panel is a contiguous row of the stored B^T.
        for (int col = 0; col < NR; col++) {
          int dst = base + col;
          if (col < cols) {
            int src = bOffset + (jc + jr + col) * ldb + pc;
            for (int p = 0; p < kc; p++) {
              packed[dst + p * NR] = b[src + p];
            }
          } else {
            for (int p = 0; p < kc; p++) {
              packed[dst + p * NR] = 0f;
            }
          }
        }
      } else if (cols == NR) {
        for (int p = 0; p < kc; p++) {
          int src = bOffset + (pc + p) * ldb + jc + jr;
          int dst = base + p * NR;
          FloatVector.fromArray(FLOAT_SPECIES, b, src).intoArray(packed, dst);
          FloatVector.fromArray(FLOAT_SPECIES, b, src + LANES).intoArray(packed, dst + LANES);
        }
      } else {
        for (int p = 0; p < kc; p++) {
          int src = bOffset + (pc + p) * ldb + jc + jr;
          int dst = base + p * NR;
          for (int col = 0; col < cols; col++) {
            packed[dst + col] = b[src + col];
          }
          for (int col = cols; col < NR; col++) {
            packed[dst + col] = 0f;
          }
        }
      }
    }
  }

  private static int roundUp(int value, int multiple) {
    return (value + multiple - 1) / multiple * multiple;
  }

  // ---------------------------------------------------------------- gemv

  @Override
  public void gemv(
      boolean transA,
      int m,
      int n,
      float alpha,
      float[] a,
      int aOffset,
      int lda,
      float[] x,
      int xOffset,
      float beta,
      float[] y,
      int yOffset) {
    int outputs = transA ? n : m;
    int sumLength = transA ? m : n;
    if (outputs == 0) {
      return;
    }
    if (alpha == 0 || sumLength == 0) {
      ScalarFloatMatrixKernels.scale(beta, 1, outputs, y, yOffset, outputs);
      return;
    }
    if (!transA) {
      for (int i = 0; i < m; i++) {
        float s = dot(a, aOffset + i * lda, x, xOffset, n);
        y[yOffset + i] = ScalarFloatMatrixKernels.combine(alpha, s, beta, y[yOffset + i]);
      }
    } else {
      gemvTransposed(m, n, alpha, a, aOffset, lda, x, xOffset, beta, y, yOffset);
    }
  }

  /**
   * {@code sum a_j x_j} in four vector accumulators ({@code a_j} to lane {@code j % L} of
   * accumulator {@code (j / L) % 4}), combined pairwise, lanes folded in index order, then the
   * scalar tail: the order depends on {@code n} only.
   */
  private static float dot(float[] a, int aAt, float[] x, int xAt, int n) {
    FloatVector acc0 = FloatVector.zero(FLOAT_SPECIES);
    FloatVector acc1 = acc0;
    FloatVector acc2 = acc0;
    FloatVector acc3 = acc0;
    int j = 0;
    int unrolledBound = n - n % (4 * LANES);
    for (; j < unrolledBound; j += 4 * LANES) {
      acc0 = mulAdd(load(a, aAt + j), load(x, xAt + j), acc0);
      acc1 = mulAdd(load(a, aAt + j + LANES), load(x, xAt + j + LANES), acc1);
      acc2 = mulAdd(load(a, aAt + j + 2 * LANES), load(x, xAt + j + 2 * LANES), acc2);
      acc3 = mulAdd(load(a, aAt + j + 3 * LANES), load(x, xAt + j + 3 * LANES), acc3);
    }
    int bound = FLOAT_SPECIES.loopBound(n);
    for (; j < bound; j += LANES) {
      acc0 = mulAdd(load(a, aAt + j), load(x, xAt + j), acc0);
    }
    FloatVector acc = acc0.add(acc1).add(acc2.add(acc3));
    float s = 0;
    for (int lane = 0; lane < LANES; lane++) {
      s += acc.lane(lane);
    }
    // scalar tail
    for (; j < n; j++) {
      s = FusedMultiplyAdd.mulAdd(a[aAt + j], x[xAt + j], s);
    }
    return s;
  }

  /**
   * {@code y = beta y}, then {@code y += (alpha x_p) * row p of A} for every {@code p}, four rows
   * per pass over {@code y}; each {@code y_j} sees the same chain of multiply-adds, in the same
   * order, as the scalar form.
   */
  private static void gemvTransposed(
      int m,
      int n,
      float alpha,
      float[] a,
      int aOffset,
      int lda,
      float[] x,
      int xOffset,
      float beta,
      float[] y,
      int yOffset) {
    ScalarFloatMatrixKernels.scale(beta, 1, n, y, yOffset, n);
    int bound = FLOAT_SPECIES.loopBound(n);
    int p = 0;
    for (; p + 4 <= m; p += 4) {
      float t0 = alpha * x[xOffset + p];
      float t1 = alpha * x[xOffset + p + 1];
      float t2 = alpha * x[xOffset + p + 2];
      float t3 = alpha * x[xOffset + p + 3];
      FloatVector v0 = FloatVector.broadcast(FLOAT_SPECIES, t0);
      FloatVector v1 = FloatVector.broadcast(FLOAT_SPECIES, t1);
      FloatVector v2 = FloatVector.broadcast(FLOAT_SPECIES, t2);
      FloatVector v3 = FloatVector.broadcast(FLOAT_SPECIES, t3);
      int r0 = aOffset + p * lda;
      int r1 = r0 + lda;
      int r2 = r1 + lda;
      int r3 = r2 + lda;
      int j = 0;
      for (; j < bound; j += LANES) {
        FloatVector acc = load(y, yOffset + j);
        acc = mulAdd(v0, load(a, r0 + j), acc);
        acc = mulAdd(v1, load(a, r1 + j), acc);
        acc = mulAdd(v2, load(a, r2 + j), acc);
        acc = mulAdd(v3, load(a, r3 + j), acc);
        acc.intoArray(y, yOffset + j);
      }
      // scalar tail
      for (; j < n; j++) {
        float acc = y[yOffset + j];
        acc = FusedMultiplyAdd.mulAdd(t0, a[r0 + j], acc);
        acc = FusedMultiplyAdd.mulAdd(t1, a[r1 + j], acc);
        acc = FusedMultiplyAdd.mulAdd(t2, a[r2 + j], acc);
        acc = FusedMultiplyAdd.mulAdd(t3, a[r3 + j], acc);
        y[yOffset + j] = acc;
      }
    }
    for (; p < m; p++) {
      float t = alpha * x[xOffset + p];
      FloatVector v = FloatVector.broadcast(FLOAT_SPECIES, t);
      int row = aOffset + p * lda;
      int j = 0;
      for (; j < bound; j += LANES) {
        mulAdd(v, load(a, row + j), load(y, yOffset + j)).intoArray(y, yOffset + j);
      }
      // scalar tail
      for (; j < n; j++) {
        y[yOffset + j] = FusedMultiplyAdd.mulAdd(t, a[row + j], y[yOffset + j]);
      }
    }
  }

  private static FloatVector load(float[] array, int index) {
    return FloatVector.fromArray(FLOAT_SPECIES, array, index);
  }

  /** The guarded multiply-add: fused only where FMA is hardware (see {@link FusedMultiplyAdd}). */
  private static FloatVector mulAdd(FloatVector a, FloatVector b, FloatVector c) {
    return FusedMultiplyAdd.FAST ? a.fma(b, c) : a.mul(b).add(c);
  }

  /** Packing buffers and the tile of one thread, grown on demand and then reused. */
  private static final class Workspace {
    final float[] tile = new float[MR * NR];
    private float[] packedA = new float[0];
    private float[] packedB = new float[0];

    float[] packedA(int length) {
      if (packedA.length < length) {
        packedA = new float[Math.max(length, roundUp(Blocking.MC, MR) * Blocking.KC)];
      }
      return packedA;
    }

    float[] packedB(int length) {
      if (packedB.length < length) {
        packedB = new float[length];
      }
      return packedB;
    }
  }
}
