/**
 * Parallel execution of kernels: a shared {@link dev.netc.runtime.exec.WorkerPool} of threads and
 * a per-session {@link dev.netc.runtime.exec.Executor} that splits one kernel call into
 * independent chunks (output-channel blocks, spatial row bands), claimed dynamically so that a
 * core that loses time to the host still finishes with the others. No allocation per call.
 */
package dev.netc.runtime.exec;
