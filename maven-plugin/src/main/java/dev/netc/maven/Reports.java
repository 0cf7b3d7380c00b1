package dev.netc.maven;

import dev.netc.compiler.Compilation;
import dev.netc.compiler.Compiler;
import dev.netc.compiler.analysis.Budgets;
import dev.netc.compiler.analysis.NetworkReport;
import dev.netc.compiler.analysis.Numbers;
import dev.netc.compiler.analysis.ReportDoc;
import dev.netc.compiler.analysis.render.ReportFormat;
import dev.netc.compiler.diag.UserError;
import dev.netc.compiler.emit.java.EmitOptions;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.syntax.Ast;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code report} step, free of Maven: for every network of every input, {@code <network>.md} and
 * {@code <network>.json} (the formats of {@code netc report --format markdown|json}) in the report folder, a
 * one-line summary in the log, and one error line per exceeded budget, pointing at the network's declaration.
 * Reports are written before budgets are judged, so a failed build still leaves them to read.
 */
final class Reports {
  private final Path sourceRoot;
  private final Path reportDir;
  private final int batch;
  private final BudgetRules budgets;
  private final BuildLog log;

  Reports(Path sourceRoot, Path reportDir, int batch, BudgetRules budgets, BuildLog log) {
    this.sourceRoot = sourceRoot;
    this.reportDir = reportDir;
    this.batch = batch;
    this.budgets = budgets;
    this.log = log;
  }

  /** @param errors diagnostics and report failures; {@code overBudget} exceeded budgets (one line each) */
  record Summary(int networks, int errors, int overBudget) {}

  Summary run(List<Path> inputs) {
    Map<String, Path> seen = new HashMap<>();
    Map<String, String> classNames = new TreeMap<>();
    int errors = 0;
    int over = 0;
    for (Path rel : inputs) {
      Path file = sourceRoot.resolve(rel).toAbsolutePath().normalize();
      Compilation r;
      try {
        r = Compiler.compile(Compiler.Options.file(file).withBatch(batch));
      } catch (UserError e) {
        NetFile.Failed f = NetFile.Failed.of(e.diagnostics());
        f.lines().forEach(log::error);
        errors += f.errors();
        continue;
      } catch (RuntimeException | InternalError e) {
        throw new NetFile.CompilerFailure(file, e);
      }
      for (Compilation.Network n : r.networks()) {
        String at = location(r, n.graph(), file);
        Path other = seen.putIfAbsent(n.name(), file);
        if (other != null) {
          log.error(at + ": error: network " + n.name() + " is also declared in " + other
              + "; reports are named by network, so names must differ");
          errors++;
          continue;
        }
        classNames.put(n.name(), className(n.name()));
        int broken = report(n, file, at);
        errors += Math.max(0, -broken);
        over += Math.max(0, broken);
      }
    }
    for (String n : budgets.unmatched(classNames)) {
      log.error("netc: error: a <budget> names network " + n + ", which no input declares (by its name in the .net"
          + " file or its class name); networks: " + String.join(", ", classNames.entrySet().stream()
              .map(e -> e.getKey().equals(e.getValue()) ? e.getKey() : e.getKey() + " (class " + e.getValue() + ")")
              .toList()));
      errors++;
    }
    return new Summary(seen.size(), errors, over);
  }

  /** The class the plugin generates for a network: its name in PascalCase ({@code tiny_net -> TinyNet}). */
  static String className(String network) { return EmitOptions.of(network, "", "").className(); }

  /** Writes one network's reports; returns the count of exceeded budgets, or -1 if it cannot be counted. */
  private int report(Compilation.Network n, Path file, String at) {
    Graph g = n.graph();
    NetworkReport rep;
    try {
      rep = n.report();
    } catch (ArithmeticException | dev.netc.compiler.analysis.ReportError e) {
      log.error(at + ": error: network " + g.name() + " cannot be counted: "
          + (e instanceof ArithmeticException ? "counts overflow 64-bit integers at batch " + batch : e.getMessage()));
      return -1;
    } catch (RuntimeException | InternalError e) {
      throw new NetFile.CompilerFailure(file, e);
    }
    List<ReportDoc> doc = List.of(ReportDoc.of(String.valueOf(file.getFileName()), rep, 0, null));
    write(reportDir.resolve(g.name() + ".md"), ReportFormat.MARKDOWN.render(doc));
    write(reportDir.resolve(g.name() + ".json"), ReportFormat.JSON.render(doc));
    long memory = rep.totals().weightBytes() + rep.peak().bytes();
    log.info("netc: " + g.name() + ": " + Numbers.grouped(rep.totals().params()) + " params, "
        + Numbers.grouped(rep.totals().macs()) + " MACs, " + Numbers.bytes(memory) + " weights + peak activations");
    Budgets limits;
    try {
      limits = budgets.of(g.name(), className(g.name()));
    } catch (IllegalArgumentException e) {
      log.error(at + ": error: " + e.getMessage());
      return -1;
    }
    List<String> over = limits.violations("network " + g.name(), rep.totals(), rep.peak().bytes());
    over.forEach(v -> log.error(at + ": error: " + v));
    return over.size();
  }

  /** {@code /abs/file.net:line:col} of the network's name, so the budget line is clickable. */
  private static String location(Compilation r, Graph g, Path file) {
    Ast.NetworkDecl decl = r.program().network(g.name());
    return decl == null ? file.toString() : decl.nameSpan().location();
  }

  private static void write(Path out, String text) {
    try {
      Files.createDirectories(out.getParent());
      Files.writeString(out, text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
    }
  }
}
