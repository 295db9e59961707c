package dev.flynn.engine.stream;

/**
 * Told about the bytes read so far, once per chunk, on the producer thread (so it should return
 * quickly; throttle any printing yourself). An exception thrown here stops the pipeline and reaches
 * the caller.
 */
@FunctionalInterface
public interface StreamProgress {

  /**
   * @param bytesRead bytes read from the source so far
   * @param totalBytes the source's size when known (a file), else -1
   * @param elapsedNanos nanoseconds since the pipeline started
   */
  void update(long bytesRead, long totalBytes, long elapsedNanos);
}
