package dev.flynn.bench.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run by the build (exec plugin, {@code package} phase) on the JDK the toolchains plugin selected:
 * writes that JDK's {@code java} and the runtime classpath to a file the {@code ./flynn} launcher
 * reads, so the tool always runs on the same JDK as the build and tests.
 */
public final class LauncherInfo {

  private LauncherInfo() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: LauncherInfo OUTPUT_FILE");
      System.exit(2);
    }
    // One key=value per line, unescaped, so that the shell launcher can read it with sed.
    String text =
        "# written by the Flynn build for ./flynn; do not edit\n"
            + "java="
            + Path.of(System.getProperty("java.home"), "bin", "java")
            + "\njava.version="
            + System.getProperty("java.version")
            + "\nclasspath="
            + System.getProperty("java.class.path")
            + "\n";
    Path out = Path.of(args[0]);
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, text, StandardCharsets.UTF_8);
  }
}
