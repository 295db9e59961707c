package dev.flynn.nativecheck;

import java.io.IOException;
import java.io.InputStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Where facts about the machine are read from: a root directory (normally {@code /}) under which
 * Linux's {@code /proc} and {@code /sys} files are looked up, plus the output of {@code getconf
 * -a}. Tests point the root at a fixture tree and pass canned {@code getconf} output, so every
 * reader runs on the same code path as on a real machine.
 *
 * <p>Every read is forgiving: a file that is absent, unreadable, a directory, or not text reads as
 * empty, never as an exception. Paths are always written as absolute Linux paths ({@code
 * "/proc/cpuinfo"}) and resolved under the root; {@code ..} can not climb above the root.
 */
public final class SystemSources {

  /** How long {@code getconf -a} may run; it normally takes a few milliseconds. */
  private static final long GETCONF_TIMEOUT_MILLIS = 2_000;

  /** No file the readers need is anywhere near this big; the cap guards against odd roots. */
  private static final int MAX_FILE_BYTES = 16 << 20;

  private final Path root;
  private final boolean live;
  private final String getconfOutput; // null for live: read lazily from LiveGetconf

  private SystemSources(Path root, boolean live, String getconfOutput) {
    this.root = root;
    this.live = live;
    this.getconfOutput = getconfOutput;
  }

  /**
   * The running machine: root {@code /}, and the real {@code getconf -a}, run at most once per JVM
   * (with a {@value #GETCONF_TIMEOUT_MILLIS} ms timeout) and only when a reader asks for it. A
   * missing {@code getconf} reads as empty output.
   */
  public static SystemSources live() {
    return new SystemSources(Path.of("/"), true, null);
  }

  /**
   * A fixture: files are looked up under {@code root} ({@code root/proc/cpuinfo}, {@code
   * root/sys/devices/...}, {@code root/proc/self/cgroup}, ...), and {@code getconfOutput} stands
   * for the output of {@code getconf -a} ({@code ""}: none).
   */
  public static SystemSources at(Path root, String getconfOutput) {
    return new SystemSources(
        Objects.requireNonNull(root, "root"), false, getconfOutput == null ? "" : getconfOutput);
  }

  /** The directory that stands for {@code /}. */
  public Path root() {
    return root;
  }

  /** True for {@link #live()}: the facts are those of the machine this JVM runs on. */
  public boolean isLive() {
    return live;
  }

  /** The output of {@code getconf -a}, or {@code ""} when there is none. */
  public String getconfOutput() {
    return live ? LiveGetconf.OUTPUT : getconfOutput;
  }

  /**
   * The JVM's own architecture name for {@link #live()} sources, with Java's {@code amd64} spelled
   * {@code x86_64} as Linux spells it; empty for fixtures, whose architecture is inferred from
   * their files.
   */
  Optional<String> jvmArchitecture() {
    if (!live) {
      return Optional.empty();
    }
    String arch = System.getProperty("os.arch", "").trim();
    if (arch.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(arch.equals("amd64") ? "x86_64" : arch.toLowerCase(Locale.ROOT));
  }

  /** The text of the file at a Linux path, or empty when it can not be read. */
  Optional<String> read(String linuxPath) {
    try {
      Path file = resolve(linuxPath);
      if (!Files.isRegularFile(file)) {
        return Optional.empty();
      }
      try (InputStream in = Files.newInputStream(file)) {
        // procfs and sysfs files report size 0, so read to the end rather than by size.
        byte[] bytes = in.readNBytes(MAX_FILE_BYTES);
        return Optional.of(new String(bytes, StandardCharsets.UTF_8));
      }
    } catch (IOException | RuntimeException unreadable) {
      return Optional.empty();
    }
  }

  /** The first line of a file, trimmed, or empty when the file can not be read or is blank. */
  Optional<String> readLine(String linuxPath) {
    return read(linuxPath)
        .map(text -> text.lines().findFirst().orElse("").trim())
        .filter(line -> !line.isEmpty());
  }

  /** Whether a directory exists at a Linux path. */
  boolean isDirectory(String linuxPath) {
    try {
      return Files.isDirectory(resolve(linuxPath));
    } catch (RuntimeException unreadable) {
      return false;
    }
  }

  /** The names in a directory, sorted; empty when it can not be listed. */
  List<String> list(String linuxPath) {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(resolve(linuxPath))) {
      for (Path entry : entries) {
        names.add(entry.getFileName().toString());
      }
    } catch (IOException | RuntimeException unreadable) {
      return List.of();
    }
    names.sort(null);
    return names;
  }

  private Path resolve(String linuxPath) {
    String relative = normalize(linuxPath).substring(1);
    return relative.isEmpty() ? root : root.resolve(relative);
  }

  /**
   * A Linux path made absolute and free of {@code .}, {@code ..} and repeated slashes; {@code ..}
   * at the top stays at {@code /}. Done on strings, not {@link Path}, so the result is the same on
   * every OS.
   */
  static String normalize(String linuxPath) {
    List<String> parts = new ArrayList<>();
    for (String part : linuxPath.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (!parts.isEmpty()) {
          parts.remove(parts.size() - 1);
        }
      } else {
        parts.add(part);
      }
    }
    return "/" + String.join("/", parts);
  }

  /** Runs {@code getconf -a} once, when first asked, for every live source in this JVM. */
  private static final class LiveGetconf {
    static final String OUTPUT = runGetconf();
  }

  /**
   * The output of {@code getconf -a}, or {@code ""} when it is absent, fails or takes too long.
   * This lives outside {@link LiveGetconf} on purpose: the reader thread's lambda belongs to the
   * class that defines it, and a lambda of a class still being initialised would block that thread
   * until the initialisation, which is waiting for it, gives up.
   */
  private static String runGetconf() {
    Process process;
    try {
      process =
          new ProcessBuilder("getconf", "-a")
              .redirectError(Redirect.DISCARD)
              .redirectInput(Redirect.PIPE)
              .start();
    } catch (IOException | RuntimeException absent) {
      return "";
    }
    try {
      process.getOutputStream().close();
      // Drain stdout while waiting, so a full pipe can not block the command.
      CompletableFuture<byte[]> stdout =
          CompletableFuture.supplyAsync(
              () -> {
                try (InputStream in = process.getInputStream()) {
                  return in.readNBytes(MAX_FILE_BYTES);
                } catch (IOException e) {
                  return new byte[0];
                }
              },
              task -> Thread.ofVirtual().name("flynn-getconf").start(task));
      if (!process.waitFor(GETCONF_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
        return "";
      }
      byte[] bytes = stdout.get(GETCONF_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    } catch (IOException | ExecutionException | TimeoutException | RuntimeException e) {
      return "";
    } finally {
      process.destroyForcibly();
    }
  }
}
