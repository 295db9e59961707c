package dev.flynn.nativecheck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The fixture trees under {@code src/test/resources/fixtures}, and small trees made in tests. */
final class Fixtures {

  private Fixtures() {}

  /** The root directory of a fixture. */
  static Path root(String name) {
    URL url = Fixtures.class.getResource("/fixtures/" + name);
    if (url == null) {
      throw new IllegalArgumentException("no fixture " + name);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A fixture with its {@code getconf.txt} as the getconf output ({@code ""} without one). */
  static SystemSources at(String name) {
    Path getconf = root(name).resolve("getconf.txt");
    try {
      String output = Files.exists(getconf) ? Files.readString(getconf) : "";
      return SystemSources.at(root(name), output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A fixture with no getconf output at all. */
  static SystemSources withoutGetconf(String name) {
    return SystemSources.at(root(name), "");
  }

  /** Writes {@code text} to the Linux path {@code linuxPath} under {@code root}. */
  static void write(Path root, String linuxPath, String text) {
    try {
      Path file = root.resolve(linuxPath.substring(1));
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Copies one file of a fixture into another root. */
  static void copy(String fixture, String linuxPath, Path root) {
    try {
      write(root, linuxPath, Files.readString(root(fixture).resolve(linuxPath.substring(1))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
