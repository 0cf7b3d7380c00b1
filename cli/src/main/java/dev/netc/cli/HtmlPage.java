package dev.netc.cli;

import dev.netc.compiler.Compilation;
import dev.netc.compiler.analysis.ReportDoc;
import dev.netc.viz.HtmlReport;
import dev.netc.viz.MemoryTimeline;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code netc report --format html}: the page of {@link HtmlReport} for a file's networks. */
final class HtmlPage {
  private HtmlPage() {}

  /** One section per network, in the order of {@code docs} (which follow {@code r.networks()}). */
  static String render(Path file, Compilation r, List<ReportDoc> docs) {
    return render(file, r, docs, List.of());
  }

  /** As {@link #render(Path, Compilation, List)}, with measured profiles per network (empty: none measured). */
  static String render(Path file, Compilation r, List<ReportDoc> docs, List<Map<String, Object>> profiles) {
    List<HtmlReport.Section> sections = new ArrayList<>();
    for (int i = 0; i < docs.size(); i++) {
      Compilation.Network n = r.networks().get(i);
      sections.add(HtmlReport.section(docs.get(i), MemoryTimeline.of(n), profiles.isEmpty() ? null : profiles.get(i)));
    }
    String title = docs.size() == 1 ? docs.getFirst().report().name() : String.valueOf(file.getFileName());
    return HtmlReport.write(title, sections);
  }
}
