package dev.netc.compiler.ir;

import java.util.List;

/** ShuffleNet's channel shuffle: view channels as [groups, C/groups], transpose, flatten. Data movement only. */
public record ChannelShuffle(int groups) implements Op {
  public String name() { return "channel_shuffle"; }

  public int arity() { return 1; }

  public TensorType infer(List<TensorType> in) {
    TensorType x = in.getFirst();
    if (x.rank() < 1 || x.dim(0) % groups != 0) {
      throw new ShapeException("channel_shuffle: channels of " + x + " are not divisible by " + groups + " groups");
    }
    return x;
  }

  public Cost cost(List<TensorType> in, TensorType o, int batch) { return Cost.other(0, Cost.Category.DATA); }

  public String describe() { return "groups=" + groups; }
}
