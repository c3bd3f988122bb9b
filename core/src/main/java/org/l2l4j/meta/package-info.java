/**
 * Meta-training of the learned optimizer: {@link org.l2l4j.meta.MetaTrainer} (truncated BPTT
 * over unrolled optimization, outer Adam, validation, divergence handling), its typed
 * configuration, progress listener and atomic, checksummed checkpoints, and the estimate of the
 * heap a run needs ({@link org.l2l4j.meta.MemoryEstimate}), checked before it starts.
 */
package org.l2l4j.meta;
