package org.l2l4j.djl.art;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import java.util.List;

/**
 * A fixed feature extractor for the art loss: a DJL {@link Block} that maps a batch of images N ×
 * 3 × S × S (RGB, values about [0, 1]) to an {@code NDList} of feature maps N × C × H × W, one
 * per entry of {@link #layers()} in that order. Its weights are constants (the loss never asks
 * for their gradients). {@link #styleLayers()} give the Gram matrices of the style term, {@link
 * #contentLayers()} the content term.
 *
 * <p>{@link RandomFeatureNet} is the default; a user with VGG-19 weights in a form DJL loads (e.g.
 * a TorchScript module that returns the chosen layers' activations) implements this interface
 * with that block and its layer names.
 */
public interface FeatureNet {
  /** A short description of the net for spec strings and reports ({@code [a-z0-9-]} only). */
  String spec();

  /** The names of the block's outputs, in output order. */
  List<String> layers();

  /** The layers whose Gram matrices make the style term (a subset of {@link #layers()}). */
  List<String> styleLayers();

  /** The layers whose activations make the content term (a subset of {@link #layers()}). */
  List<String> contentLayers();

  /**
   * A new block with its weights set, its arrays on {@code manager} in {@code type}, for inputs of
   * any side S ≥ 16; its parameters need no gradient.
   */
  Block create(NDManager manager, DataType type);
}
