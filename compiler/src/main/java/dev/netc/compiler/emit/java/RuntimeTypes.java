package dev.netc.compiler.emit.java;

import com.palantir.javapoet.ClassName;
import dev.netc.runtime.Shape;
import dev.netc.runtime.exec.CallFrame;
import dev.netc.runtime.exec.Executor;
import dev.netc.runtime.exec.ParallelTask;
import dev.netc.runtime.exec.WorkerPool;
import dev.netc.runtime.io.SafeTensors;
import dev.netc.runtime.kernels.Activation;
import dev.netc.runtime.kernels.BatchNormWeights;
import dev.netc.runtime.kernels.ChannelShuffle;
import dev.netc.runtime.kernels.ConvAxis;
import dev.netc.runtime.kernels.ConvBatchNorm;
import dev.netc.runtime.kernels.ConvChain;
import dev.netc.runtime.kernels.ConvPlan;
import dev.netc.runtime.kernels.ConvSpec;
import dev.netc.runtime.kernels.Elementwise;
import dev.netc.runtime.kernels.Embeddings;
import dev.netc.runtime.kernels.Epilogue;
import dev.netc.runtime.kernels.GemmPlan;
import dev.netc.runtime.kernels.GemmSpec;
import dev.netc.runtime.kernels.Layout;
import dev.netc.runtime.kernels.LayoutConvert;
import dev.netc.runtime.kernels.MultiHeadAttention;
import dev.netc.runtime.kernels.ShiftedWindowAttention;
import dev.netc.runtime.kernels.Norms;
import dev.netc.runtime.kernels.Pooling;
import dev.netc.runtime.kernels.PositionalEncoding;
import dev.netc.runtime.kernels.Recurrent;
import dev.netc.runtime.kernels.RoiAlign;
import dev.netc.runtime.kernels.RoiPool;
import dev.netc.runtime.kernels.ScaleShift;
import dev.netc.runtime.kernels.Slices;
import dev.netc.runtime.kernels.Softmax;
import dev.netc.runtime.kernels.StridedBox;
import dev.netc.runtime.kernels.Upsample;

/**
 * The runtime types generated code names, from class literals (the compiler depends on the runtime, so a renamed or
 * moved runtime class fails to compile here rather than in generated code). Kept in one file because several share
 * a simple name with an IR op ({@code Upsample}, {@code Softmax}, ...).
 */
final class RuntimeTypes {
  private RuntimeTypes() {}

  static final ClassName SHAPE = ClassName.get(Shape.class);
  static final ClassName CALL_FRAME = ClassName.get(CallFrame.class);
  static final ClassName EXECUTOR = ClassName.get(Executor.class);
  static final ClassName PARALLEL_TASK = ClassName.get(ParallelTask.class);
  static final ClassName WORKER_POOL = ClassName.get(WorkerPool.class);
  static final ClassName SAFE_TENSORS = ClassName.get(SafeTensors.class);
  static final ClassName ACTIVATION = ClassName.get(Activation.class);
  static final ClassName BN_WEIGHTS = ClassName.get(BatchNormWeights.class);
  static final ClassName CHANNEL_SHUFFLE = ClassName.get(ChannelShuffle.class);
  static final ClassName CONV_AXIS = ClassName.get(ConvAxis.class);
  static final ClassName CONV_BN = ClassName.get(ConvBatchNorm.class);
  static final ClassName CONV_CHAIN = ClassName.get(ConvChain.class);
  static final ClassName CONV_PLAN = ClassName.get(ConvPlan.class);
  static final ClassName CONV_SPEC = ClassName.get(ConvSpec.class);
  static final ClassName ELEMENTWISE = ClassName.get(Elementwise.class);
  static final ClassName EMBEDDINGS = ClassName.get(Embeddings.class);
  static final ClassName EPILOGUE = ClassName.get(Epilogue.class);
  static final ClassName GEMM_PLAN = ClassName.get(GemmPlan.class);
  static final ClassName GEMM_SPEC = ClassName.get(GemmSpec.class);
  static final ClassName LAYOUT = ClassName.get(Layout.class);
  static final ClassName LAYOUT_CONVERT = ClassName.get(LayoutConvert.class);
  static final ClassName MULTI_HEAD_ATTENTION = ClassName.get(MultiHeadAttention.class);
  static final ClassName SHIFTED_WINDOW_ATTENTION = ClassName.get(ShiftedWindowAttention.class);
  static final ClassName NORMS = ClassName.get(Norms.class);
  static final ClassName POOLING = ClassName.get(Pooling.class);
  static final ClassName POOLING_WINDOW = ClassName.get(Pooling.Window.class);
  static final ClassName POSITIONAL_ENCODING = ClassName.get(PositionalEncoding.class);
  static final ClassName RECURRENT = ClassName.get(Recurrent.class);
  static final ClassName ROI_ALIGN = ClassName.get(RoiAlign.class);
  static final ClassName ROI_POOL = ClassName.get(RoiPool.class);
  static final ClassName SCALE_SHIFT = ClassName.get(ScaleShift.class);
  static final ClassName SLICES = ClassName.get(Slices.class);
  static final ClassName SOFTMAX = ClassName.get(Softmax.class);
  static final ClassName STRIDED_BOX = ClassName.get(StridedBox.class);
  static final ClassName UPSAMPLE = ClassName.get(Upsample.class);
}
