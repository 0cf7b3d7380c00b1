package dev.netc.maven;

/** Where the plugin's messages go: Maven's log in a build, a list in tests. */
interface BuildLog {
  void info(String line);

  void warn(String line);

  void error(String line);
}
