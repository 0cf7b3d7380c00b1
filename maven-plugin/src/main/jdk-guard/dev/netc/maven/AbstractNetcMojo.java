package dev.netc.maven;

import java.io.File;
import java.util.List;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.project.MavenProject;

/**
 * Stand-in for the goals on a Java older than 25 (see {@link JdkGuard}): the parameter fields of the real class, so
 * that Maven can configure the goal, and an {@code execute} that fails with one line.
 */
abstract class AbstractNetcMojo extends AbstractMojo {
  File sourceDirectory;
  List<String> includes;
  List<String> excludes;
  MavenProject project;
}
