package dev.netc.compiler.emit.java;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.netc.compiler.ir.Reduce;
import dev.netc.compiler.ir.TensorType;

/**
 * Reductions ({@code sum}, {@code max}, {@code min}, {@code argmax}) by the runtime's {@code Reduce}, its geometry a
 * constant made when the class loads, over NCHW.
 */
final class ReduceSteps {
  static final ClassName REDUCE = ClassName.get("dev.netc.runtime.kernels", "Reduce");

  private ReduceSteps() {}

  static CodeBlock reduce(StepContext s, Reduce op) {
    s.requireNchw();
    TensorType x = s.inType(0);
    String box = s.parts().constant(REDUCE, s.baseName() + "Reduce", CodeBlock.of("$T.of($T.$L, $L, $L)", REDUCE,
        REDUCE.nestedClass("Kind"), op.kind().name(), DataSteps.ints(x), DataSteps.ints(op.shapeAxes(x))));
    return CodeBlock.builder().addStatement("$N.run($L, $L, $L)", box, Memory.items(x), s.at(0), s.outAt()).build();
  }
}
