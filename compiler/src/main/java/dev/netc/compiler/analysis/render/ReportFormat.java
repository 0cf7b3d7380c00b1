package dev.netc.compiler.analysis.render;

import dev.netc.compiler.analysis.ReportDoc;
import java.util.List;

/** The formats of {@code netc report}. */
public enum ReportFormat {
  TABLE, MARKDOWN, JSON, CSV;

  public String render(List<ReportDoc> docs) {
    return switch (this) {
      case TABLE -> TableRenderer.render(docs);
      case MARKDOWN -> MarkdownRenderer.render(docs);
      case JSON -> JsonRenderer.render(docs);
      case CSV -> CsvRenderer.render(docs);
    };
  }
}
