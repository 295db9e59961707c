package dev.flynn.bench.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.flynn.nativecheck.Calibration;
import dev.flynn.nativecheck.MachineReport;
import dev.flynn.nativecheck.SystemSources;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What this machine and JVM can do, whether SIMD is really active (and why not), and, with {@code
 * --measure}, the roofline: memory bandwidth and peak multiply-add throughput.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Report what this machine and JVM can do, and whether SIMD is really active.",
      "",
      "The report: CPU and SIMD flags, caches, container limits,",
      "the Vector API and whether Flynn's vector kernels are active (with every reason and fix",
      "when not), and recommended engine settings. --measure adds a few seconds of measurement",
      "(memory and cache bandwidth, peak FLOPS, SIMD speed-up) and saves it as the machine profile.",
      "",
      "Exit status: 0 SIMD active, " + CheckCommand.EXIT_SIMD_OFF + " SIMD not active, 2 bad usage."
    })
final class CheckCommand implements Callable<Integer> {

  /** Exit status when the check worked but Flynn's vector kernels are not active. */
  static final int EXIT_SIMD_OFF = 3;

  /** Names the JSON document; the version is {@link MachineReport#SCHEMA_VERSION}. */
  static final String SCHEMA = "flynn-check";

  @Option(
      names = "--json",
      description = "print JSON (schema flynn-check, version 1) instead of a table")
  boolean json;

  @Option(
      names = "--measure",
      description =
          "also measure bandwidth, peak FLOPS and SIMD speed-up (a few seconds) and save the profile")
  boolean measure;

  @Option(
      names = "--profile",
      paramLabel = "FILE",
      description = "where --measure saves the machine profile (default: ${DEFAULT-VALUE})")
  Path profile = defaultProfile();

  @Spec CommandSpec spec;

  /** The document {@code --json} prints and {@code --measure} saves. */
  record Document(
      String schema, int schemaVersion, MachineReport report, Calibration calibration) {}

  static Path defaultProfile() {
    return Path.of(System.getProperty("user.home"), ".flynn", "machine-profile.json");
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    MachineReport report = MachineReport.collect(SystemSources.live());
    Calibration calibration = null;
    if (measure) {
      System.err.println("Measuring (a few seconds, both single- and all-thread figures):");
      calibration =
          Calibration.measure(
              Calibration.Settings.defaults(
                  report.caches().l1d().bytes(), report.caches().l2().bytes()),
              step -> System.err.println("  " + step));
      Document document = new Document(SCHEMA, MachineReport.SCHEMA_VERSION, report, calibration);
      Path parent = profile.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(profile, mapper().writeValueAsString(document) + "\n");
      System.err.println("Saved the machine profile to " + profile);
    }
    if (json) {
      out.println(
          mapper()
              .writeValueAsString(
                  new Document(SCHEMA, MachineReport.SCHEMA_VERSION, report, calibration)));
    } else {
      out.print(CheckText.render(report, calibration, measure ? profile : null));
    }
    out.flush();
    return report.verdict().active() ? 0 : EXIT_SIMD_OFF;
  }

  /** JSON with records as objects, indented, NaN and infinities written as null. */
  static ObjectMapper mapper() {
    SimpleModule nonFinite = new SimpleModule("non-finite-as-null");
    JsonSerializer<Double> doubles =
        new JsonSerializer<>() {
          @Override
          public void serialize(Double value, JsonGenerator gen, SerializerProvider provider)
              throws IOException {
            if (value.isNaN() || value.isInfinite()) {
              gen.writeNull();
            } else {
              gen.writeNumber(value);
            }
          }
        };
    nonFinite.addSerializer(Double.class, doubles);
    nonFinite.addSerializer(double.class, doubles);
    return new ObjectMapper().registerModule(nonFinite).enable(SerializationFeature.INDENT_OUTPUT);
  }
}
