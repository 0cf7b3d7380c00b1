package dev.netc.compiler.analysis;

/**
 * What optimization and memory planning make of a network, for a report beside the counts of the graph as
 * written. Plain numbers, computed by the caller from the optimized graph and its plan (analysis does not depend
 * on the optimizer or the planner). Bytes are for the report's batch size, float32.
 *
 * @param layersBefore layers (graph nodes other than inputs) as written
 * @param layersAfter layers after the optimization passes (folded batchnorms, fused epilogues, removed identities)
 * @param fusedKernels layers after optimization that run with something fused into them (a folded batchnorm,
 *     a residual add, an activation)
 * @param kernels plan steps that compute a layer (views are no step)
 * @param relayouts plan steps that convert between NCHW and the channel-blocked layout
 * @param outputCopies plan steps that copy a result into the caller's output array
 * @param macs multiply-accumulates after optimization (equal to the report's: fusion changes no arithmetic)
 * @param otherOps other ops after optimization (folded batchnorms and removed identities count nothing)
 * @param arenaBytes the planned activation arena of one session (inputs and outputs stay in the caller's arrays)
 * @param lowerBoundBytes the most bytes of batched tensors live at once in the plan: no placement of them needs
 *     less (unbatched RoI tensors, in their own region, are not counted)
 */
public record CompiledStats(int layersBefore, int layersAfter, int fusedKernels, int kernels, int relayouts,
    int outputCopies, long macs, long otherOps, long arenaBytes, long lowerBoundBytes) {
  /** Every plan step: kernels, layout conversions and output copies. */
  public int steps() { return kernels + relayouts + outputCopies; }
}
