package org.l2l4j.learned;

/**
 * A strided view of rows in a float array: element i of row k is at {@code array[offset + k *
 * stride + i]}. Used to pass (array, offset, stride) triples to the plain-loop LSTM passes as one
 * argument.
 *
 * @param array the backing array
 * @param offset index of element 0 of row 0
 * @param stride distance between the starts of consecutive rows
 */
record Rows(float[] array, int offset, int stride) {}
