package org.l2l4j.problem.data;

/**
 * A data set that cannot be found or read: a missing file, a malformed or truncated file, or
 * inconsistent contents. The message is meant for the user: it names the file and the problem,
 * and for missing data it says which command installs it.
 */
public final class DataException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message meant for the user. */
  public DataException(String message) {
    super(message);
  }

  /** Creates the exception with a message meant for the user and the underlying cause. */
  public DataException(String message, Throwable cause) {
    super(message, cause);
  }
}
