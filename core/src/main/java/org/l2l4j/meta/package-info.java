/**
 * Meta-training of the learned optimizer: {@link org.l2l4j.meta.MetaTrainer} (truncated BPTT
 * over unrolled optimization, outer Adam, validation, divergence handling), its typed
 * configuration, progress listener and atomic, checksummed checkpoints.
 */
package org.l2l4j.meta;
