package dev.netc.compiler.syntax;

import dev.netc.compiler.diag.Source;
import dev.netc.compiler.diag.Span;
import java.util.List;

/**
 * The abstract syntax of a .net file: what the user wrote, nothing inferred. Every node has a {@link Span}.
 * Lists are immutable; optional parts are {@code null} only where the comment says so.
 */
public final class Ast {
  private Ast() {}

  /** One parsed file. */
  public record File(Source source, List<Import> imports, List<Decl> decls, Span span) {}

  public record Import(String path, Span span) {}

  /** A block or a network: a named, parameterized body. */
  public sealed interface Decl permits BlockDecl, NetworkDecl {
    String name();
    Span nameSpan();
    List<Param> params();
    List<Stmt> body();
    Span span();
  }

  public record BlockDecl(String name, Span nameSpan, List<Param> params, List<Stmt> body, Span span)
      implements Decl {}

  public record NetworkDecl(String name, Span nameSpan, List<Param> params, List<Stmt> body, Span span)
      implements Decl {}

  /** {@code name: type = default}; {@code defaultValue} is null when the parameter is required. */
  public record Param(String name, TypeRef type, Expr defaultValue, Span span) {}

  /** {@code int}, {@code float}, {@code bool}, {@code string}, {@code layer}, {@code tensor}, or a tuple of them. */
  public sealed interface TypeRef permits NamedType, TupleType {
    Span span();
  }

  public record NamedType(String name, Span span) implements TypeRef {}

  public record TupleType(List<TypeRef> elements, Span span) implements TypeRef {}

  // ---- statements ----

  public sealed interface Stmt permits Let, Input, Head, If, Repeat, Element {
    Span span();
  }

  public record Let(String name, Expr value, Span span) implements Stmt {}

  /** {@code input image: [3, 224, 224]}; {@code modifier} (e.g. {@code unbatched}) or null. */
  public record Input(String name, String modifier, Span modifierSpan, ListLit shape, Span span) implements Stmt {}

  public record Head(String name, Span nameSpan, List<Stmt> body, Span span) implements Stmt {}

  /** {@code otherwise} is empty when there is no else. */
  public record If(Expr cond, List<Stmt> then, List<Stmt> otherwise, Span span) implements Stmt {}

  /** {@code index} is null when the loop has no {@code as i}. */
  public record Repeat(Expr count, String index, List<Stmt> body, Span span) implements Stmt {}

  /**
   * One layer in a sequence or one branch of a parallel; {@code label} and {@code bind} may be null.
   * {@code -> skips[i]} binds the tensor name {@code skips[<i>]}; {@code bindIndex} is null without an index.
   */
  public record Element(Label label, Layer layer, String bind, Expr bindIndex, Span bindSpan, Span span)
      implements Stmt {}

  /**
   * {@code conv1:} or {@code filt[i]:} (which names the layer {@code filt.<i>}); {@code index} may be null. A quoted
   * label ({@code "block1-0":}, {@code "block{s}-{i}":}) has {@code parts}: its text pieces as {@link StringLit}s
   * and its placeholders as the expressions written, joined when elaborated; {@code name} is then the label as
   * written, quotes included. {@code parts} is null for a word label.
   */
  public record Label(String name, Expr index, List<Expr> parts, Span span) {
    public Label(String name, Expr index, Span span) { this(name, index, null, span); }

    /** Whether the label is quoted (its name is made from {@code parts}). */
    public boolean quoted() { return parts != null; }
  }

  // ---- layers ----

  public sealed interface Layer permits Call, Sequence, Residual, Gate, TensorLayer, Reuse {
    Span span();
  }

  /**
   * An op, a block, or a layer-valued parameter, with arguments. {@code branches} is null for a plain call;
   * otherwise the call combines parallel branches: {@code concat { a; b }}.
   */
  public record Call(String name, Span nameSpan, List<Arg> args, boolean parens, List<Stmt> branches, Span span)
      implements Layer {}

  /** {@code stage { }}, {@code seq { }} or {@code [a, b]}: a named scope whose unlabeled children are numbered. */
  public record Sequence(Kind kind, List<Stmt> body, Span span) implements Layer {
    public enum Kind { STAGE, SEQ, LIST }
  }

  /**
   * {@code residual when c { body } shortcut when s { proj }}: body(x) + shortcut(x). {@code when} null means
   * always; {@code shortcut} null means identity; {@code shortcutWhen} null means always.
   */
  public record Residual(Expr when, List<Stmt> body, Expr shortcutWhen, List<Stmt> shortcut, Span span)
      implements Layer {}

  /** {@code gate { f }}: x * f(x), broadcasting f's result (squeeze-and-excite). */
  public record Gate(List<Stmt> body, Span span) implements Layer {}

  /** {@code @name} or {@code @name[i]} as a layer: the flow continues from that tensor; {@code index} may be null. */
  public record TensorLayer(String name, Expr index, Span span) implements Layer {}

  /**
   * {@code reuse mlp} or {@code reuse filt[i]}: the layer of that label, declared earlier in this body or an
   * enclosing one, applied again to the flow with the same weights; {@code index} may be null.
   */
  public record Reuse(String name, Expr index, Span nameSpan, Span span) implements Layer {}

  /** {@code name: value} or a positional value ({@code name} null). */
  public record Arg(String name, Span nameSpan, Expr value, Span span) {}

  // ---- expressions ----

  public sealed interface Expr
      permits IntLit, FloatLit, BoolLit, StringLit, Name, TensorRef, InRef, Member, Index, Unary, Binary, Cond,
          CallExpr, TupleLit, ListLit, Bind {
    Span span();
  }

  public record IntLit(long value, Span span) implements Expr {}

  /** {@code text} is the literal as written, so formatting keeps {@code 1e-5} as the user wrote it. */
  public record FloatLit(double value, String text, Span span) implements Expr {}

  public record BoolLit(boolean value, Span span) implements Expr {}

  public record StringLit(String value, Span span) implements Expr {}

  public record Name(String name, Span span) implements Expr {}

  /**
   * {@code @x}, or {@code @outs[*]}: every tensor bound as {@code outs[0]}, {@code outs[1]}, ... in index order (its
   * name ends in {@link #FAMILY}).
   */
  public record TensorRef(String name, Span span) implements Expr {
    public static final String FAMILY = "[*]";

    public boolean family() { return name.endsWith(FAMILY); }
  }

  /** {@code in}: the input tensor of the enclosing block. */
  public record InRef(Span span) implements Expr {}

  public record Member(Expr target, String member, Span memberSpan, Span span) implements Expr {}

  public record Index(Expr target, Expr index, Span span) implements Expr {}

  public record Unary(String op, Expr operand, Span span) implements Expr {}

  public record Binary(String op, Expr left, Expr right, Span opSpan, Span span) implements Expr {}

  public record Cond(Expr cond, Expr then, Expr otherwise, Span span) implements Expr {}

  /** A call in an expression: a built-in function ({@code max}) or a layer value ({@code leaky_relu(0.1)}). */
  public record CallExpr(String name, Span nameSpan, List<Arg> args, Span span) implements Expr {}

  public record TupleLit(List<Expr> elements, Span span) implements Expr {}

  public record ListLit(List<Expr> elements, Span span) implements Expr {}

  /**
   * {@code -> idx} or {@code -> idx[i]} as the value of a named argument ({@code maxpool(2, indices: -> idx)}): an
   * output of the op, bound to a tensor name. It is no value: only an op's output argument takes it.
   * {@code index} may be null.
   */
  public record Bind(String name, Expr index, Span nameSpan, Span span) implements Expr {}
}
