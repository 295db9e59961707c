package dev.flynn.bench;

import dev.flynn.engine.Flynn;

/** The engine every Flynn benchmark fork starts. */
final class Engines {

  private Engines() {}

  /**
   * An engine with {@code threads} threads (0: one per available processor). The host JVM already
   * logged the kernel choice, so a fork keeps only the kernels' warnings.
   */
  static Flynn start(int threads) {
    java.util.logging.Logger.getLogger("dev.flynn.kernels")
        .setLevel(java.util.logging.Level.WARNING);
    return Flynn.builder()
        .threads(threads > 0 ? threads : Runtime.getRuntime().availableProcessors())
        .build();
  }
}
