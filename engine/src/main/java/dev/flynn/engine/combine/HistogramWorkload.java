package dev.flynn.engine.combine;

import dev.flynn.kernels.EqualWidthBins;
import dev.flynn.kernels.FloatKernels;
import dev.flynn.kernels.Kernels;

/**
 * A histogram as slots: bins {@code [0, bins)}, then below, above and NaN, the layout of {@link
 * FloatKernels#histogram}. The fine path places each element by the same exact rule as the kernel.
 */
final class HistogramWorkload extends Workload {

  private final EqualWidthBins rule;
  private final FloatKernels kernels = Kernels.vectorFloats();

  HistogramWorkload(EqualWidthBins rule) {
    super(rule.bins() + 3, 0);
    this.rule = rule;
  }

  EqualWidthBins rule() {
    return rule;
  }

  @Override
  void element(float x, Slots into) {
    into.add(slot(x), 1);
  }

  private int slot(float x) {
    if (x >= rule.lo()) {
      return x < rule.hi() ? rule.bin(x) : rule.bins() + 1;
    }
    return x < rule.lo() ? rule.bins() : rule.bins() + 2;
  }

  @Override
  void block(float[] a, int from, int length, long[] partial) {
    kernels.histogram(a, from, length, rule, partial);
  }
}
