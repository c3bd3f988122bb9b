package org.l2l4j.util;

/** Malformed or invalid JSON; the message names the file or field and the offset. */
public final class JsonException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final boolean atEndOfInput;

  /** Creates the exception with a message meant for the user. */
  public JsonException(String message) {
    this(message, false);
  }

  /**
   * Creates the exception with a message meant for the user.
   *
   * @param atEndOfInput whether the input ended before the value was complete (it may be
   *     truncated), as opposed to holding something wrong
   */
  public JsonException(String message, boolean atEndOfInput) {
    super(message);
    this.atEndOfInput = atEndOfInput;
  }

  /** Whether the input ended early: the only case in which it may be truncated. */
  public boolean atEndOfInput() {
    return atEndOfInput;
  }
}
