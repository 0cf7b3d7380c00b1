package dev.netc.maven;

import java.io.File;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecutionException;
import org.codehaus.plexus.configuration.PlexusConfiguration;

/** Stand-in for {@code netc:report} on a Java older than 25: fails with one line (see {@link JdkGuard}). */
public final class ReportMojo extends AbstractNetcMojo {
  File reportDirectory;
  int batch;
  String maxParams;
  String maxMacs;
  String maxPeakMemory;
  /** Kept as XML: the real {@code Budget} class is Java 25 code, which this Java cannot load. */
  PlexusConfiguration budgets;
  MavenSession session;
  boolean skip;

  @Override
  public void execute() throws MojoExecutionException {
    throw JdkGuard.refuse("report");
  }
}
