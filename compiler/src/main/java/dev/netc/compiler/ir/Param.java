package dev.netc.compiler.ir;

/** A parameter tensor of a node, with its full dotted name ({@code layer1.0.conv1.weight}). */
public record Param(String name, ParamSpec spec) {
  public Shape shape() { return spec.shape(); }

  public ParamSpec.Kind kind() { return spec.kind(); }
}
