package dev.flynn.engine;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A whole file mapped into memory as one {@link MemorySegment}, for the segment kernels ({@link
 * FloatSegments}, {@link DoubleSegments}): a file of little-endian floats or doubles, even one far
 * larger than the heap, is then reduced or transformed in place, page by page, without a copy.
 *
 * <p>Lifetime: the mapping lives in its own shared arena (so the engine's pool may read it) from
 * {@link #readOnly} or {@link #readWrite} until {@link #close()}, which unmaps it; afterwards every
 * access to {@link #segment()} throws {@link IllegalStateException}, and a kernel given it says
 * that its arena is closed. Close it only when no call is using it. The file's length is read once,
 * at mapping: a file that shrinks meanwhile makes an access past its new end fail with an error of
 * the VM, as with any mapping.
 *
 * <p>Page size: on Linux with transparent huge pages offered ({@link HugePages#available()}), the
 * mapping is advised {@code MADV_HUGEPAGE} before its first access. Where the file system caches
 * files in large folios (ext4 and xfs on recent kernels), the pages this mapping reads in are then
 * 2 MiB pages, mapped whole, and a kernel streaming the file runs as fast as over a heap array on
 * huge pages. Pages of the file already in the page cache keep the size they were cached with
 * (often 4 KiB, after ordinary writes): {@link #dropFromPageCache} before mapping lets them be read
 * in again on huge pages. Elsewhere the advice is skipped and the mapping behaves as any other.
 *
 * <pre>{@code
 * try (Flynn flynn = Flynn.create(); MappedFile file = MappedFile.readOnly(Path.of("big.f32"))) {
 *   float max = flynn.floatSegments().max(file.segment());
 * }
 * }</pre>
 */
public final class MappedFile implements AutoCloseable {

  private final Path path;
  private final Arena arena;
  private final MemorySegment segment;

  private MappedFile(Path path, boolean writable) throws IOException {
    this.path = Check.notNull("path", path);
    Arena shared = Arena.ofShared();
    try (FileChannel channel =
        writable
            ? FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)
            : FileChannel.open(path, StandardOpenOption.READ)) {
      FileChannel.MapMode mode =
          writable ? FileChannel.MapMode.READ_WRITE : FileChannel.MapMode.READ_ONLY;
      this.segment = channel.map(mode, 0, channel.size(), shared);
      HugePages.advise(segment); // before any access faults a page in
    } catch (IOException | RuntimeException e) {
      shared.close();
      throw e;
    }
    this.arena = shared;
  }

  /**
   * Maps all of an existing file for reading. The segment is read-only: a kernel refuses it as an
   * output. The mapping stays valid after the file is closed (the channel is closed at once).
   */
  public static MappedFile readOnly(Path path) throws IOException {
    return new MappedFile(path, false);
  }

  /**
   * Maps all of an existing file for reading and writing; what kernels write reaches the file
   * through the page cache (call {@code segment().force()} to wait for the disk). The file keeps
   * its length: set it first, for example with {@code RandomAccessFile.setLength}.
   */
  public static MappedFile readWrite(Path path) throws IOException {
    return new MappedFile(path, true);
  }

  /**
   * Writes back the file's changed cached pages and asks the operating system to drop its cached
   * pages, so that the next mapping reads the file from storage (on huge pages, see the class
   * comment). Pages that a live mapping holds stay cached. Best effort: returns whether the system
   * did all of it (false where it is not Linux, or the file cannot be opened for reading).
   *
   * @throws NullPointerException if {@code path} is null
   */
  public static boolean dropFromPageCache(Path path) {
    Check.notNull("path", path);
    return Libc.INSTANCE != null && Libc.INSTANCE.dropFromPageCache(path);
  }

  /** The whole file, from byte 0; valid until {@link #close()}. */
  public MemorySegment segment() {
    return segment;
  }

  /** The file, as given. */
  public Path path() {
    return path;
  }

  /** Unmaps the file. Idempotent. */
  @Override
  public void close() {
    if (arena.scope().isAlive()) {
      arena.close();
    }
  }

  @Override
  public String toString() {
    return "MappedFile["
        + path
        + ", "
        + segment.byteSize()
        + " bytes, "
        + (segment.isReadOnly() ? "read-only" : "read-write")
        + (arena.scope().isAlive() ? "" : ", closed")
        + "]";
  }
}
