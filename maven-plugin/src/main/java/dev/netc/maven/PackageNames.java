package dev.netc.maven;

import dev.netc.compiler.emit.java.EmitOptions;
import java.nio.file.Path;
import javax.lang.model.SourceVersion;

/**
 * The Java package of a {@code .net} file's classes: the configured {@code packageName} if there is one, else the
 * file's folder relative to the source folder ({@code src/main/net/com/acme/tiny.net} gives {@code com.acme}).
 * Files directly in the source folder use the compiler's default package, {@value EmitOptions#DEFAULT_PACKAGE},
 * because classes in Java's unnamed package cannot be imported by the application that embeds them.
 */
final class PackageNames {
  private PackageNames() {}

  /**
   * @param relative the file, relative to the source folder
   * @param configured the {@code packageName} parameter, or null
   * @throws IllegalArgumentException naming the folder, when it is not a Java package name
   */
  static String of(Path relative, String configured) {
    if (configured != null && !configured.isBlank()) return configured.strip();
    Path dir = relative.getParent();
    if (dir == null) return EmitOptions.DEFAULT_PACKAGE;
    String name = SourceScan.slashed(dir).replace('/', '.');
    if (!SourceVersion.isName(name)) {
      throw new IllegalArgumentException("folder " + SourceScan.slashed(dir) + " does not name a Java package ('"
          + name + "'): rename it, or set <packageName> in the plugin's configuration");
    }
    return name;
  }

  /** Checks a configured package name once, before any file is compiled. */
  static void checkConfigured(String configured) {
    if (configured != null && !configured.isBlank() && !SourceVersion.isName(configured.strip())) {
      throw new IllegalArgumentException("<packageName>" + configured + "</packageName> is not a Java package name");
    }
  }
}
