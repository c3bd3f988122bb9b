package org.l2l4j.meta;

/** A checkpoint that cannot be used; the message names the file and the problem. */
public final class CheckpointException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message meant for the user. */
  public CheckpointException(String message) {
    super(message);
  }
}
