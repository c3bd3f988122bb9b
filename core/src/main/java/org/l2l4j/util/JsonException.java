package org.l2l4j.util;

/** Malformed or invalid JSON; the message names the file or field and the offset. */
public final class JsonException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message meant for the user. */
  public JsonException(String message) {
    super(message);
  }
}
