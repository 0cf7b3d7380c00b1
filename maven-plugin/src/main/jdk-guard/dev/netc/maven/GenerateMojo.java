package dev.netc.maven;

import java.io.File;
import org.apache.maven.plugin.MojoExecutionException;

/** Stand-in for {@code netc:generate} on a Java older than 25: fails with one line (see {@link JdkGuard}). */
public final class GenerateMojo extends AbstractNetcMojo {
  File outputDirectory;
  String packageName;
  boolean failOnWarning;
  String target;
  File resourceDirectory;
  boolean skip;
  File stateFile;

  @Override
  public void execute() throws MojoExecutionException {
    throw JdkGuard.refuse("generate");
  }
}
