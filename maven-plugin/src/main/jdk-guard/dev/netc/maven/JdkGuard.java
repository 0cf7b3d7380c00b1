package dev.netc.maven;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.maven.plugin.MojoExecutionException;

/**
 * The one-line refusal of the plugin when Maven runs on a Java older than 25. Compiled for Java 8 (the oldest Maven
 * 3.9 runs on) into the base of the multi-release plugin jar, with stand-ins for the goals that carry the same
 * parameter fields and fail with this message; the goals themselves are Java 25 classes under
 * {@code META-INF/versions/25}, which only a Java 25 or newer loads. Without this, Maven on Java 17 prints an
 * {@code UnsupportedClassVersionError} with the plugin's class realm.
 */
final class JdkGuard {
  static final int NEEDED = 25;

  private JdkGuard() {}

  /** The error for {@code goal}: which Java Maven runs on, and a JDK 25 to use instead if one is installed. */
  static MojoExecutionException refuse(String goal) {
    String home = System.getProperty("java.home");
    String found = findJdk();
    return new MojoExecutionException("netc:" + goal + " needs Java " + NEEDED + " or newer, but Maven runs on Java "
        + System.getProperty("java.version") + " (" + home + "): "
        + (found != null ? "run Maven with JAVA_HOME=" + found : "install a JDK " + NEEDED + " and point JAVA_HOME at it")
        + " (see the plugin's README, 'Requirements')");
  }

  /** A JDK 25 or newer in the usual places, as {@code .mvn/find-jdk.sh} looks for one; null if none. */
  static String findJdk() {
    String user = System.getProperty("user.home");
    List<File> roots = new ArrayList<>();
    for (String r : new String[] {"/usr/lib/jvm", "/opt/java", user + "/.sdkman/candidates/java", user + "/.jdks",
        "/Library/Java/JavaVirtualMachines"}) {
      File[] homes = new File(r).listFiles();
      if (homes == null) continue;
      Arrays.sort(homes);
      for (File h : homes) roots.add(new File(h, "Contents/Home").isDirectory() ? new File(h, "Contents/Home") : h);
    }
    for (File h : roots) {
      if (new File(h, "bin/javac").canExecute() && major(h) >= NEEDED) return h.getPath();
    }
    return null;
  }

  /** The feature release a JDK's {@code release} file names ({@code JAVA_VERSION="25.0.1"}), or 0. */
  static int major(File jdk) {
    try {
      String text = new String(Files.readAllBytes(new File(jdk, "release").toPath()), StandardCharsets.UTF_8);
      Matcher m = Pattern.compile("(?m)^JAVA_VERSION=\"(1\\.)?(\\d+)").matcher(text);
      return m.find() ? Integer.parseInt(m.group(2)) : 0;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }
}
