package org.l2l4j.djl.art;

/** Bad art input (an image file, a size, a style name): its message is one line naming it. */
public final class ArtException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** With a one-line message. */
  public ArtException(String message) {
    super(message);
  }
}
