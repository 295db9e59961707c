package dev.flynn.engine;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The few Linux C library calls the engine makes through FFM downcalls: {@code mmap}, {@code
 * madvise} and {@code munmap} for memory on huge pages ({@link HugePages}), and {@code open},
 * {@code fdatasync}, {@code posix_fadvise} and {@code close} to drop a file from the page cache
 * ({@link MappedFile#dropFromPageCache}). {@link #INSTANCE} is null where the system is not Linux
 * or a call is missing; callers then fall back to plain Java.
 *
 * <p>The constants are Linux's on x86-64 and AArch64 (the generic ABI). The calls are restricted
 * FFM operations: run with {@code --enable-native-access=ALL-UNNAMED}, or the JVM prints a warning
 * on first use.
 */
final class Libc {

  static final Libc INSTANCE = lookUp();

  private static final int PROT_READ_WRITE = 0x1 | 0x2;
  private static final int MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20;
  private static final int MADV_HUGEPAGE = 14;
  private static final long MAP_FAILED = -1L;
  private static final int O_RDONLY_CLOEXEC = 0 | 0x80000;
  private static final int POSIX_FADV_DONTNEED = 4;

  /** The base page size assumed for rounding an advised range: 4 KiB. */
  private static final long PAGE = 4096;

  private final MethodHandle mmap;
  private final MethodHandle madvise;
  private final MethodHandle munmap;
  private final MethodHandle open;
  private final MethodHandle fdatasync;
  private final MethodHandle fadvise;
  private final MethodHandle close;

  private Libc(
      MethodHandle mmap,
      MethodHandle madvise,
      MethodHandle munmap,
      MethodHandle open,
      MethodHandle fdatasync,
      MethodHandle fadvise,
      MethodHandle close) {
    this.mmap = mmap;
    this.madvise = madvise;
    this.munmap = munmap;
    this.open = open;
    this.fdatasync = fdatasync;
    this.fadvise = fadvise;
    this.close = close;
  }

  /**
   * Zeroed anonymous memory of {@code bytes} bytes aligned to {@code align}, advised for huge pages
   * before anything touches it, as a segment of {@code arena} that unmaps it when the arena closes.
   */
  @SuppressWarnings("restricted") // reinterpret: the mapping's size and owner, which we know
  MemorySegment mapHuge(Arena arena, long bytes, long align) {
    long length = roundUp(bytes, align);
    long total = length + align; // room to align the start
    long base;
    try {
      base =
          ((MemorySegment)
                  mmap.invokeExact(
                      MemorySegment.NULL, total, PROT_READ_WRITE, MAP_PRIVATE_ANONYMOUS, -1, 0L))
              .address();
    } catch (Throwable e) {
      throw new IllegalStateException("mmap of " + total + " bytes failed", e);
    }
    if (base == MAP_FAILED) {
      throw new OutOfMemoryError("mmap could not map " + total + " bytes for huge pages");
    }
    long start = roundUp(base, align);
    try {
      adviseHugePages(start, length);
    } catch (RuntimeException e) {
      unmap(base, total);
      throw e;
    }
    return MemorySegment.ofAddress(start).reinterpret(bytes, arena, s -> unmap(base, total));
  }

  /**
   * {@code madvise(MADV_HUGEPAGE)} over the pages that hold {@code [address, address + bytes)}. A
   * refusal (say, memory the kernel will not back with huge pages) leaves 4 KiB pages: still valid.
   */
  void adviseHugePages(long address, long bytes) {
    long start = address & -PAGE;
    long length = roundUp(address + bytes, PAGE) - start;
    try {
      int rc = (int) madvise.invokeExact(MemorySegment.ofAddress(start), length, MADV_HUGEPAGE);
      assert rc == 0 || rc == -1;
    } catch (Throwable e) {
      throw new IllegalStateException("madvise failed", e);
    }
  }

  /**
   * Writes back {@code path}'s dirty cached pages and asks the kernel to drop its cached pages;
   * pages that a mapping still holds stay. Whether every step returned 0.
   */
  boolean dropFromPageCache(Path path) {
    try (Arena arena = Arena.ofConfined()) {
      int fd = (int) open.invokeExact(arena.allocateFrom(path.toString()), O_RDONLY_CLOEXEC);
      if (fd < 0) {
        return false;
      }
      try {
        int synced = (int) fdatasync.invokeExact(fd);
        int dropped = (int) fadvise.invokeExact(fd, 0L, 0L, POSIX_FADV_DONTNEED);
        return synced == 0 && dropped == 0;
      } finally {
        int rc = (int) close.invokeExact(fd);
        assert rc == 0 : "close failed";
      }
    } catch (Throwable e) {
      throw new IllegalStateException("dropping " + path + " from the page cache failed", e);
    }
  }

  private void unmap(long base, long total) {
    try {
      int rc = (int) munmap.invokeExact(MemorySegment.ofAddress(base), total);
      assert rc == 0 : "munmap failed";
    } catch (Throwable e) {
      throw new IllegalStateException("munmap failed", e);
    }
  }

  private static long roundUp(long value, long multiple) {
    return (value + multiple - 1) & -multiple;
  }

  @SuppressWarnings("restricted") // downcalls; see the class comment on native access
  private static Libc lookUp() {
    if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
      return null;
    }
    Linker linker = Linker.nativeLinker();
    SymbolLookup libc = linker.defaultLookup();
    String[] names = {"mmap", "madvise", "munmap", "open", "fdatasync", "posix_fadvise", "close"};
    for (String name : names) {
      if (libc.find(name).isEmpty()) {
        return null;
      }
    }
    ValueLayout address = ValueLayout.ADDRESS;
    ValueLayout.OfInt cInt = ValueLayout.JAVA_INT;
    ValueLayout.OfLong cLong = ValueLayout.JAVA_LONG;
    return new Libc(
        linker.downcallHandle(
            libc.find("mmap").orElseThrow(),
            FunctionDescriptor.of(address, address, cLong, cInt, cInt, cInt, cLong)),
        linker.downcallHandle(
            libc.find("madvise").orElseThrow(), FunctionDescriptor.of(cInt, address, cLong, cInt)),
        linker.downcallHandle(
            libc.find("munmap").orElseThrow(), FunctionDescriptor.of(cInt, address, cLong)),
        linker.downcallHandle(
            libc.find("open").orElseThrow(),
            FunctionDescriptor.of(cInt, address, cInt),
            Linker.Option.firstVariadicArg(2)), // open(path, flags, ...): no mode passed
        linker.downcallHandle(
            libc.find("fdatasync").orElseThrow(), FunctionDescriptor.of(cInt, cInt)),
        linker.downcallHandle(
            libc.find("posix_fadvise").orElseThrow(),
            FunctionDescriptor.of(cInt, cInt, cLong, cLong, cInt)),
        linker.downcallHandle(libc.find("close").orElseThrow(), FunctionDescriptor.of(cInt, cInt)));
  }
}
