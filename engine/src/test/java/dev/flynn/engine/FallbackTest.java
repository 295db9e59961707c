package dev.flynn.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scalar fallback in a JVM of its own: without {@code --add-modules jdk.incubator.vector}, and
 * with {@code -Dflynn.kernels=scalar}. The child runs {@link FallbackProbe}; this test checks its
 * results against references computed here and its log lines on stderr.
 */
class FallbackTest {

  private static final String LOG_FORMAT =
      "-Djava.util.logging.SimpleFormatter.format=%4$s %3$s: %5$s%6$s%n";

  @TempDir Path temp;

  /** What the child wrote, and how it ended. */
  record Child(int exitCode, List<String> stdout, List<String> stderr) {
    Map<String, String> facts() {
      Map<String, String> facts = new HashMap<>();
      for (String line : stdout) {
        int cut = line.lastIndexOf(' ');
        if (cut > 0) {
          facts.put(line.substring(0, cut), line.substring(cut + 1));
        }
      }
      return facts;
    }

    List<String> stderrStartingWith(String prefix) {
      return stderr.stream().filter(l -> l.startsWith(prefix)).toList();
    }
  }

  private Child run(String name, String... jvmOptions) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(Arrays.asList(jvmOptions));
    command.add(LOG_FORMAT);
    command.add("-Xmx256m");
    command.add("-cp");
    command.add(testClassPath());
    command.add(FallbackProbe.class.getName());
    File out = temp.resolve(name + ".out").toFile();
    File err = temp.resolve(name + ".err").toFile();
    Process p =
        new ProcessBuilder(command)
            .redirectOutput(out)
            .redirectError(err)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    try {
      if (!p.waitFor(90, TimeUnit.SECONDS)) {
        fail("the child JVM did not finish in 90 s: " + command);
      }
    } finally {
      if (p.isAlive()) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    Child child =
        new Child(
            p.exitValue(),
            Files.readAllLines(out.toPath(), StandardCharsets.UTF_8),
            Files.readAllLines(err.toPath(), StandardCharsets.UTF_8));
    String all = String.join("\n", child.stderr());
    assertEquals(0, child.exitCode(), () -> "the child failed; stderr:\n" + all);
    assertFalse(all.contains("NoClassDefFoundError"), all);
    assertFalse(all.contains("Exception"), all);
    return child;
  }

  /**
   * The test class path. Surefire puts the real class path in {@code java.class.path} of the forked
   * JVM even when it boots from a manifest-only jar; should it ever hold just that jar, the jar's
   * manifest still names every entry, so the child finds the same classes.
   */
  private static String testClassPath() {
    String cp = System.getProperty("java.class.path");
    assertTrue(cp != null && !cp.isBlank(), "no java.class.path");
    return cp;
  }

  @Test
  void withoutTheVectorModuleEveryModeRunsScalarAndSaysHowToFixIt() throws Exception {
    Child child = run("no-module");
    Map<String, String> facts = child.facts();
    assertEquals("false", facts.get("vectorActive"), () -> "stdout: " + child.stdout());
    checkResults(facts);

    List<String> warnings = child.stderrStartingWith("WARNING");
    assertEquals(1, warnings.size(), () -> "exactly one WARNING line: " + child.stderr());
    String warning = warnings.get(0);
    assertTrue(warning.contains("--add-modules jdk.incubator.vector"), warning);
    assertTrue(warning.startsWith("WARNING dev.flynn.kernels: "), warning);
    List<String> infos = child.stderrStartingWith("INFO");
    assertEquals(1, infos.size(), () -> "exactly one INFO line: " + child.stderr());
    assertTrue(infos.get(0).contains("scalar kernels"), infos.get(0));
    assertTrue(infos.get(0).contains("not usable"), infos.get(0));
    assertEquals(
        "scalar kernels, the Vector API is not usable in this JVM",
        child.stdout().get(1).substring("description ".length()));
  }

  @Test
  void forcedScalarWithTheModulePresentRunsScalarAndSaysItWasForced() throws Exception {
    Child child = run("forced", "--add-modules=jdk.incubator.vector", "-Dflynn.kernels=scalar");
    Map<String, String> facts = child.facts();
    assertEquals("false", facts.get("vectorActive"), () -> "stdout: " + child.stdout());
    checkResults(facts);
    assertEquals(
        List.of(), child.stderrStartingWith("WARNING dev.flynn"), "no Flynn warning when forced");
    List<String> infos = child.stderrStartingWith("INFO");
    assertEquals(1, infos.size(), () -> "exactly one INFO line: " + child.stderr());
    assertTrue(infos.get(0).contains("scalar kernels"), infos.get(0));
    assertTrue(infos.get(0).contains("forced by -Dflynn.kernels=scalar"), infos.get(0));
  }

  @Test
  void anUnknownKernelsValueIsIgnoredWithAWarning() throws Exception {
    Child child = run("bogus", "--add-modules=jdk.incubator.vector", "-Dflynn.kernels=Bogus");
    assertEquals("true", child.facts().get("vectorActive"), () -> "stdout: " + child.stdout());
    List<String> warnings = child.stderrStartingWith("WARNING dev.flynn");
    assertEquals(1, warnings.size(), () -> child.stderr().toString());
    assertTrue(warnings.get(0).contains("bogus"), warnings.get(0));
    assertTrue(warnings.get(0).contains("auto, scalar and vector"), warnings.get(0));
    List<String> infos = child.stderrStartingWith("INFO");
    assertEquals(1, infos.size(), () -> child.stderr().toString());
    assertTrue(infos.get(0).contains("vector kernels"), infos.get(0));
  }

  /** The child's results against references computed here, in every mode. */
  private static void checkResults(Map<String, String> facts) {
    float[] s = FallbackProbe.sumData();
    float[] x = FallbackProbe.dotData(72);
    float[] y = FallbackProbe.dotData(73);
    float[] a = FallbackProbe.shortData(74, 1f);
    float[] b = FallbackProbe.shortData(75, 1f);
    float[] e = FallbackProbe.shortData(76, 80f);
    double sum = 0;
    double dot = 0;
    float min = s[0];
    float max = s[0];
    float[] added = new float[s.length];
    for (int i = 0; i < s.length; i++) {
      sum += s[i];
      dot += (double) x[i] * y[i];
      min = Math.min(min, s[i]);
      max = Math.max(max, s[i]);
      added[i] = (float) ((double) s[i] + x[i]);
    }
    for (Mode mode : Mode.values()) {
      assertEquals(hex((float) sum), facts.get(mode + " sum"), mode + " sum");
      assertEquals(hex((float) dot), facts.get(mode + " dot"), mode + " dot");
      assertEquals(hex(min), facts.get(mode + " min"), mode + " min");
      assertEquals(hex(max), facts.get(mode + " max"), mode + " max");
      assertEquals(
          Integer.toString(Arrays.hashCode(added)), facts.get(mode + " add-hash"), mode + " add");
      for (int i = 0; i < FallbackProbe.SHORT; i++) {
        assertEquals(
            hex((float) ((double) a[i] + b[i])), facts.get(mode + " add " + i), mode + " add");
        float r = Float.intBitsToFloat(Integer.parseUnsignedInt(facts.get(mode + " exp " + i), 16));
        assertTrue(
            Ref.ulpsFloat(r, StrictMath.exp(e[i])) <= 1.0, mode + " exp(" + e[i] + ") = " + r);
      }
    }
  }

  private static String hex(float f) {
    return String.format(Locale.ROOT, "%08x", Float.floatToRawIntBits(f));
  }
}
