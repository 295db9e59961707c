package dev.flynn.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class CheckCommandTest {

  @TempDir Path temp;

  private record Run(int status, String out) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    picocli.CommandLine cli = FlynnCli.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(new StringWriter()));
    int status = cli.execute(args);
    return new Run(status, out.toString());
  }

  @Test
  void theJsonAgreesWithTheJvmsOwnView() throws Exception {
    Run run = run("check", "--json");
    assertEquals(0, run.status(), run.out());
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertEquals("flynn-check", json.get("schema").asText());
    assertEquals(1, json.get("schemaVersion").asInt());
    JsonNode report = json.get("report");
    assertEquals(
        FloatVector.SPECIES_PREFERRED.vectorBitSize(),
        report.get("vectorApi").get("preferredBits").asInt());
    assertEquals(
        FloatVector.SPECIES_PREFERRED.length(),
        report.get("vectorApi").get("lanes").get("float").asInt());
    assertEquals(
        DoubleVector.SPECIES_PREFERRED.length(),
        report.get("vectorApi").get("lanes").get("double").asInt());
    assertEquals(
        ByteVector.SPECIES_PREFERRED.length(),
        report.get("vectorApi").get("lanes").get("byte").asInt());
    assertEquals(
        Runtime.getRuntime().availableProcessors(),
        report.get("platform").get("availableProcessors").asInt());
    assertEquals(
        System.getProperty("java.version"), report.get("platform").get("javaVersion").asText());
    assertTrue(report.get("verdict").get("active").asBoolean());
    assertEquals(0, report.get("verdict").get("reasons").size());
    assertEquals("C2", report.get("platform").get("jit").asText());
    assertTrue(report.get("cpu").get("logicalCores").asInt() >= 1);
    assertTrue(report.get("recommended").get("threads").asInt() >= 1);
    assertTrue(json.get("calibration").isNull(), "no calibration without --measure");
  }

  @Test
  void theTableNamesEverySection() {
    Run run = run("check");
    assertEquals(0, run.status(), run.out());
    for (String section :
        List.of("Platform", "CPU", "Caches", "Container", "Vector API", "Verdict", "Recommended")) {
      assertTrue(run.out().contains("\n" + section), section + " missing in\n" + run.out());
    }
    assertTrue(run.out().matches("(?s).*\n  SIMD active +yes\n.*"), run.out());
  }

  @Test
  @Timeout(120)
  void measureSavesAProfileThatReadsBack() throws Exception {
    Path profile = temp.resolve("profile.json");
    Run run = run("check", "--measure", "--json", "--profile", profile.toString());
    assertEquals(0, run.status(), run.out());
    JsonNode saved = new ObjectMapper().readTree(profile.toFile());
    JsonNode calibration = saved.get("calibration");
    assertTrue(calibration.get("triadOneThreadGBps").asDouble() > 0, saved.toString());
    assertTrue(calibration.get("peakGflopsOneThread").asDouble() > 0, saved.toString());
    assertEquals(
        calibration.get("triadOneThreadGBps").asDouble(),
        new ObjectMapper()
            .readTree(run.out())
            .get("calibration")
            .get("triadOneThreadGBps")
            .asDouble(),
        "the printed and the saved profile are the same measurement");
  }

  @Test
  void aBadOptionIsUsageErrorTwo() {
    assertEquals(2, run("check", "--no-such-option").status());
  }

  @Test
  @Timeout(120)
  void withoutTheVectorModuleTheVerdictIsOffWithTheFixAndTheStatusSaysSo() throws Exception {
    File out = temp.resolve("out.json").toFile();
    File err = temp.resolve("err.txt").toFile();
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                FlynnCli.class.getName(),
                "check",
                "--json")
            .redirectOutput(out)
            .redirectError(err)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    try {
      if (!p.waitFor(90, TimeUnit.SECONDS)) {
        fail("the child JVM did not finish in 90 s");
      }
    } finally {
      if (p.isAlive()) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    String stderr = Files.readString(err.toPath(), StandardCharsets.UTF_8);
    assertEquals(CheckCommand.EXIT_SIMD_OFF, p.exitValue(), stderr);
    assertFalse(stderr.contains("Exception"), stderr);
    JsonNode report = new ObjectMapper().readTree(out).get("report");
    assertFalse(report.get("vectorApi").get("moduleReadable").asBoolean());
    JsonNode verdict = report.get("verdict");
    assertFalse(verdict.get("active").asBoolean());
    assertEquals(1, verdict.get("reasons").size(), verdict.toString());
    assertEquals(
        "start the JVM with --add-modules jdk.incubator.vector",
        verdict.get("reasons").get(0).get("fix").asText());
  }
}
