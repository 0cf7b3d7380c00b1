package dev.netc.onnx;

/** A problem with one ONNX node; the importer collects them all and reports them together. */
final class ImportIssue extends RuntimeException {
  ImportIssue(String message) { super(message, null, false, false); }
}
