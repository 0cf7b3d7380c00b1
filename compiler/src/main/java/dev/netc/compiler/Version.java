package dev.netc.compiler;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * Version and build provenance, from {@code netc-version.properties}, which the build filters: the project version,
 * build time and JDK, and the git commit (with its time, and whether the working tree had uncommitted changes). A
 * value the build could not fill (no git checkout, or an unfiltered resource in an IDE) reads as "unknown".
 */
public final class Version {
  private static final String UNKNOWN = "unknown";
  private static final Properties PROPS = load();

  private Version() {}

  private static Properties load() {
    Properties p = new Properties();
    try (InputStream in = Version.class.getResourceAsStream("/netc-version.properties")) {
      if (in != null) p.load(in);
    } catch (IOException e) {
      // No provenance: every value reads "unknown".
    }
    return p;
  }

  /** A property, or "unknown" when it is missing, empty or still an unfiltered {@code ${...}} placeholder. */
  public static String property(String key) {
    String v = PROPS.getProperty(key, "").strip();
    return v.isEmpty() || v.startsWith("${") ? UNKNOWN : v;
  }

  public static String version() { return property("version"); }

  /** The abbreviated commit, with "-dirty" when the build saw uncommitted changes, or "unknown". */
  public static String commit() {
    String c = property("commit");
    return c.equals(UNKNOWN) || !property("dirty").equals("true") ? c : c + "-dirty";
  }

  /** What {@code netc --version} prints: version, commit, build and runtime, one line each. */
  public static String[] lines() {
    String commitTime = property("commitTime");
    return new String[] {
      "netc " + version(),
      "commit " + commit() + (commitTime.equals(UNKNOWN) ? "" : " (" + commitTime + ")"),
      "built " + property("built") + " with Java " + property("java"),
      "running on Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"
    };
  }
}
