package dev.flynn.engine.stream;

import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a {@link StreamPipeline} reads its values: a file, a channel or a supplier, with the type
 * of the values. Immutable; a file source can be run many times, a channel or supplier source as
 * many times as the channel or supplier can deliver.
 */
public final class StreamSource {

  private final ElementType type;
  private final Path path;
  private final ReadableByteChannel channel;
  private final ChunkSupplier supplier;

  private StreamSource(
      ElementType type, Path path, ReadableByteChannel channel, ChunkSupplier supplier) {
    this.type = Objects.requireNonNull(type, "type is null");
    this.path = path;
    this.channel = channel;
    this.supplier = supplier;
  }

  /**
   * The values of a file of little-endian {@code type} values. The pipeline opens it when it starts
   * (a missing or unreadable file throws there, before any thread starts), checks that its size is
   * a multiple of the element size, and closes it when it ends.
   */
  public static StreamSource file(Path path, ElementType type) {
    return new StreamSource(type, Objects.requireNonNull(path, "path is null"), null, null);
  }

  /**
   * The values read from a blocking channel until its end. The pipeline does not close it; when the
   * pipeline stops early, its producer thread is interrupted, which closes an interruptible channel
   * (as every channel of {@code java.nio} is). A last value cut short at the end fails the run with
   * {@link java.io.EOFException}.
   */
  public static StreamSource channel(ReadableByteChannel channel, ElementType type) {
    return new StreamSource(type, null, Objects.requireNonNull(channel, "channel is null"), null);
  }

  /** The values a supplier puts into the pipeline's buffers; see {@link ChunkSupplier}. */
  public static StreamSource supplier(ElementType type, ChunkSupplier supplier) {
    return new StreamSource(type, null, null, Objects.requireNonNull(supplier, "supplier is null"));
  }

  /** The type of the values. */
  public ElementType type() {
    return type;
  }

  Path path() {
    return path;
  }

  ReadableByteChannel channel() {
    return channel;
  }

  ChunkSupplier supplier() {
    return supplier;
  }

  @Override
  public String toString() {
    String what = path != null ? "file " + path : channel != null ? "channel" : "supplier";
    return "StreamSource[" + what + ", " + type + "]";
  }
}
