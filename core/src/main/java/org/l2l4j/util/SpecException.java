package org.l2l4j.util;

/** A spec string or configuration value that cannot be accepted; the message says why. */
public final class SpecException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message meant for the user. */
  public SpecException(String message) {
    super(message);
  }
}
