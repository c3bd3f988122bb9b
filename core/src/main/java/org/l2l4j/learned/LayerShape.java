package org.l2l4j.learned;

/**
 * Where one LSTM layer's parameters lie in the flat weight vector and how wide it is: the weight
 * matrix W[r][g] (r &lt; inputs + hidden rows, 4·hidden gate columns) at {@code weightOffset + r *
 * 4·hidden + g}, the biases at {@code biasOffset + g}.
 *
 * @param weightOffset index of W[0][0]
 * @param biasOffset index of the first bias
 * @param inputs the layer's input width (features for layer 0, the hidden width below otherwise)
 * @param hidden the layer's hidden width
 */
record LayerShape(int weightOffset, int biasOffset, int inputs, int hidden) {
  /** The shape of layer {@code l} of {@code config}. */
  static LayerShape of(LstmConfig config, int l) {
    return new LayerShape(
        config.weightOffset(l), config.biasOffset(l), config.inputWidth(l), config.hidden(l));
  }
}
