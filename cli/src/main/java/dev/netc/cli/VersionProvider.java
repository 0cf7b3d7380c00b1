package dev.netc.cli;

import dev.netc.compiler.Version;
import picocli.CommandLine;

/** {@code netc --version}: the build provenance that {@link Version} reads. */
public final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    return Version.lines();
  }
}
