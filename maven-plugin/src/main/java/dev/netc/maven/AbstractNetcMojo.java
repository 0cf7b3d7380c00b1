package dev.netc.maven;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/** What both goals share: which {@code .net} files are the inputs, and a switch to skip. */
abstract class AbstractNetcMojo extends AbstractMojo {
  /** The folder of {@code .net} sources; for {@code generate}, package folders start here. */
  @Parameter(property = "netc.sourceDirectory", defaultValue = "${project.basedir}/src/main/net")
  File sourceDirectory;

  /** Ant patterns, relative to {@code sourceDirectory}, of the files to compile (default {@code **}{@code /*.net}). */
  @Parameter
  List<String> includes;

  /** Ant patterns of files to leave out, e.g. a folder of block libraries that are only imported. */
  @Parameter
  List<String> excludes;

  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  MavenProject project;

  /** The input files, relative to the source folder. */
  List<Path> inputs() { return scan().files(); }

  SourceScan scan() { return SourceScan.of(sourceRoot(), includes, excludes); }

  Path sourceRoot() { return sourceDirectory.toPath().toAbsolutePath().normalize(); }

  /** Maven's log as a {@link BuildLog}. */
  BuildLog log() {
    return new BuildLog() {
      @Override public void info(String line) { getLog().info(line); }

      @Override public void warn(String line) { getLog().warn(line); }

      @Override public void error(String line) { getLog().error(line); }
    };
  }
}
