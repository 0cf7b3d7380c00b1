package dev.netc.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.maven.plugin.Mojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.codehaus.plexus.configuration.PlexusConfiguration;
import org.junit.jupiter.api.Test;

/**
 * The Java 8 stand-ins of the goals (src/main/jdk-guard, see {@code JdkGuard}): what Maven on an old Java loads
 * from the plugin jar instead of the goals. They must be Java 8 class files, declare a field for every parameter
 * the goal's descriptor configures (or Maven stops at "Cannot find 'x' in class"), and fail with one line.
 */
class JdkGuardTest {
  private static final Path GUARD = Path.of(System.getProperty("basedir", "."), "target", "jdk-guard-classes");

  @Test
  void theStandInsAreJava8ClassFiles() throws IOException {
    List<Path> classes;
    try (var s = Files.walk(GUARD)) {
      classes = s.filter(p -> p.toString().endsWith(".class")).toList();
    }
    assertTrue(classes.size() >= 4, "stand-ins in " + GUARD + ": " + classes);
    for (Path c : classes) {
      try (DataInputStream in = new DataInputStream(Files.newInputStream(c))) {
        in.readInt();
        in.readUnsignedShort();
        assertEquals(52, in.readUnsignedShort(), c + " is not a Java 8 class file");
      }
    }
  }

  @Test
  void everyParameterOfEveryGoalHasAFieldInItsStandIn() throws Exception {
    Map<String, List<String[]>> mojos = descriptor();
    assertEquals(List.of("dev.netc.maven.GenerateMojo", "dev.netc.maven.ReportMojo"), List.copyOf(mojos.keySet()));
    try (URLClassLoader loader = guardLoader()) {
      for (Map.Entry<String, List<String[]>> m : mojos.entrySet()) {
        Class<?> standIn = loader.loadClass(m.getKey());
        assertEquals(loader, standIn.getClassLoader(), "loaded the stand-in, not the goal");
        for (String[] p : m.getValue()) {
          Field f = field(standIn, p[0]);
          if (f == null) fail(m.getKey() + " stand-in lacks the field of parameter " + p[0]);
          boolean asXml = f.getType() == PlexusConfiguration.class;
          assertTrue(asXml || f.getType().getName().equals(p[1]),
              m.getKey() + "." + p[0] + ": the goal has " + p[1] + ", the stand-in " + f.getType().getName());
        }
      }
    }
  }

  @Test
  void theStandInsFailWithOneLineThatNamesTheJavaAndWhatToDo() throws Exception {
    try (URLClassLoader loader = guardLoader()) {
      for (String goal : List.of("Generate", "Report")) {
        Mojo mojo = (Mojo) loader.loadClass("dev.netc.maven." + goal + "Mojo").getConstructor().newInstance();
        try {
          mojo.execute();
          fail("the stand-in ran");
        } catch (MojoExecutionException e) {
          String m = e.getMessage();
          assertTrue(m.startsWith("netc:" + goal.toLowerCase() + " needs Java 25 or newer, but Maven runs on Java "
              + System.getProperty("java.version") + " (" + System.getProperty("java.home") + "): "), m);
          assertTrue(m.contains("JAVA_HOME"), m);
          assertFalse(m.contains("\n"), m);
        }
      }
    }
  }

  /** Each goal's implementation class and its parameters (name, type), from the generated plugin.xml. */
  private static Map<String, List<String[]>> descriptor() throws IOException {
    String xml;
    try (InputStream in = JdkGuardTest.class.getResourceAsStream("/META-INF/maven/plugin.xml")) {
      xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Map<String, List<String[]>> out = new TreeMap<>();
    Matcher mojo = Pattern.compile("(?s)<mojo>.*?<implementation>(.*?)</implementation>.*?<parameters>(.*?)"
        + "</parameters>").matcher(xml);
    while (mojo.find()) {
      List<String[]> params = new ArrayList<>();
      Matcher p = Pattern.compile("(?s)<parameter>\\s*<name>(.*?)</name>\\s*<type>([^<]*?)(?:&lt;.*?)?</type>")
          .matcher(mojo.group(2));
      while (p.find()) params.add(new String[] {p.group(1), p.group(2)});
      out.put(mojo.group(1), params);
    }
    return out;
  }

  private static Field field(Class<?> c, String name) {
    for (Class<?> k = c; k != null; k = k.getSuperclass()) {
      try {
        return k.getDeclaredField(name);
      } catch (NoSuchFieldException e) {
        // try the superclass
      }
    }
    return null;
  }

  /** Loads the plugin's own classes from the stand-ins' folder first, everything else from the test's class path. */
  private static URLClassLoader guardLoader() throws IOException {
    return new URLClassLoader(new URL[] {GUARD.toUri().toURL()}, JdkGuardTest.class.getClassLoader()) {
      @Override
      protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
          if (name.startsWith("dev.netc.maven.") && findResource(name.replace('.', '/') + ".class") != null) {
            Class<?> c = findLoadedClass(name);
            return c != null ? c : findClass(name);
          }
          return super.loadClass(name, resolve);
        }
      }
    };
  }
}
