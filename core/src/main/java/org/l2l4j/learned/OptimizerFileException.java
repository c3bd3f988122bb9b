package org.l2l4j.learned;

/** A trained optimizer file that cannot be used; the message names the file and the problem. */
public final class OptimizerFileException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message meant for the user. */
  public OptimizerFileException(String message) {
    super(message);
  }
}
