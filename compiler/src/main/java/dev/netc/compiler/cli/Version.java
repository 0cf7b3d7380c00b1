package dev.netc.compiler.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** Version and build provenance, from the filtered resource netc-version.properties. */
public final class Version implements CommandLine.IVersionProvider {
  private static final Properties PROPS = load();

  private static Properties load() {
    Properties p = new Properties();
    try (InputStream in = Version.class.getResourceAsStream("/netc-version.properties")) {
      if (in != null) p.load(in);
    } catch (IOException e) {
      // No provenance: report "unknown" below.
    }
    return p;
  }

  public static String version() { return PROPS.getProperty("version", "unknown"); }

  @Override
  public String[] getVersion() {
    return new String[] {
      "netc " + version(),
      "built " + PROPS.getProperty("built", "unknown") + " with Java " + PROPS.getProperty("java", "?"),
      "running on Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"
    };
  }
}
