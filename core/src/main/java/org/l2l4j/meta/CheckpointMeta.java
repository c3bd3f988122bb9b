package org.l2l4j.meta;

/**
 * What a checkpoint must agree with to be resumed: the architecture, the problem family and the
 * seed. {@code trainer} records the remaining settings for the reader's information.
 *
 * @param lstmSpec the learned optimizer's spec
 * @param problemSpec the problem family's spec
 * @param seed the root seed
 * @param trainer a description of the other training settings
 * @param start the weights the run started from when not a random initialisation (see {@code
 *     Provenance.start}); null: random
 */
public record CheckpointMeta(String lstmSpec, String problemSpec, long seed, String trainer,
    String start) {

  /** The meta of a run started from a random initialisation. */
  public CheckpointMeta(String lstmSpec, String problemSpec, long seed, String trainer) {
    this(lstmSpec, problemSpec, seed, trainer, null);
  }
}
