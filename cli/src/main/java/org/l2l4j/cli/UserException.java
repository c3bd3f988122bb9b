package org.l2l4j.cli;

/** An error caused by the user's input, reported as one line. */
final class UserException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UserException(String message) {
    super(message);
  }
}
