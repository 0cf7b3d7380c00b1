package dev.netc.maven;

import java.io.File;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * {@code netc:report}: Markdown and JSON reports (parameters, MACs, FLOPs, memory, receptive fields) of every
 * network in {@code target/netc-reports}, checked against budgets. An exceeded budget fails the build with one
 * line per budget. Runs in {@code verify} when bound, or alone: {@code mvn netc:report}.
 */
@Mojo(name = "report", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public final class ReportMojo extends AbstractNetcMojo {
  /** Where {@code <network>.md} and {@code <network>.json} go. */
  @Parameter(property = "netc.reportDirectory", defaultValue = "${project.build.directory}/netc-reports")
  File reportDirectory;

  /** The batch size the counts are for. */
  @Parameter(property = "netc.batch", defaultValue = "1")
  int batch;

  /**
   * Most learnable parameters any network may have ({@code 25M}, {@code 25557032}). {@code -Dnetc.maxParams} on the
   * command line wins over the pom (so do the other two limits).
   */
  @Parameter(property = "netc.maxParams")
  String maxParams;

  /** Most multiply-accumulates per forward pass any network may need ({@code 400M}, {@code 4.1G}). */
  @Parameter(property = "netc.maxMacs")
  String maxMacs;

  /** Most bytes of weights plus peak activations any network may need ({@code 64MiB}). */
  @Parameter(property = "netc.maxPeakMemory")
  String maxPeakMemory;

  /** Per-network budgets; a limit one leaves unset stays global. */
  @Parameter
  List<Budget> budgets;

  /** The build's session: its user properties ({@code -D} on the command line) override the global limits. */
  @Parameter(defaultValue = "${session}", readonly = true, required = true)
  MavenSession session;

  /** Skip the reports and budgets. */
  @Parameter(property = "netc.report.skip", defaultValue = "false")
  boolean skip;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("netc: report skipped");
      return;
    }
    if (batch < 1) throw new MojoFailureException("netc: <batch> must be at least 1, got " + batch);
    List<java.nio.file.Path> inputs = inputs();
    if (inputs.isEmpty()) {
      getLog().info("netc: no .net files under " + sourceRoot());
      return;
    }
    BudgetRules rules;
    try {
      rules = new BudgetRules(BudgetRules.Limits.of(maxParams, maxMacs, maxPeakMemory, session.getUserProperties()),
          budgets);
    } catch (IllegalArgumentException e) {
      throw new MojoFailureException("netc: " + e.getMessage());
    }
    String limits = rules.describe();
    if (limits != null) getLog().info("netc: budgets: " + limits);
    Reports.Summary s;
    try {
      s = new Reports(sourceRoot(), reportDirectory.toPath(), batch, rules, log()).run(inputs);
    } catch (UncheckedIOException | NetFile.CompilerFailure e) {
      throw new MojoExecutionException("netc: " + e.getMessage(), e);
    }
    if (s.errors() > 0) {
      throw new MojoFailureException("netc: " + s.errors() + " error" + (s.errors() == 1 ? "" : "s")
          + " (see the lines above)");
    }
    if (s.overBudget() > 0) {
      throw new MojoFailureException("netc: " + s.overBudget() + " budget" + (s.overBudget() == 1 ? "" : "s")
          + " exceeded (see the lines above); reports in " + reportDirectory);
    }
    getLog().info("netc: reports of " + s.networks() + " network" + (s.networks() == 1 ? "" : "s") + " in "
        + reportDirectory);
  }
}
