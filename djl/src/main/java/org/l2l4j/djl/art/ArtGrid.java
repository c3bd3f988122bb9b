package org.l2l4j.djl.art;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A labelled PNG grid of images (the paper's figure 8): one row per test content, columns as
 * labelled (content, style, then each optimizer's image after the last step). Pixel values are
 * clipped to [0, 1] for display only. Each S × S image is drawn {@link #scale}(S) times larger
 * (nearest neighbour) in a cell with a {@value #LABEL}-pixel label band above the first row and a
 * {@value #PAD}-pixel gap around every cell: width = cols·(c + PAD) + PAD, height = LABEL +
 * rows·(c + PAD) + PAD with c = S·scale(S).
 */
public final class ArtGrid {
  /** The label band's height. */
  public static final int LABEL = 18;
  /** The gap around cells. */
  public static final int PAD = 4;

  private ArtGrid() {}

  /** The enlargement of an S × S image: the smallest integer that makes it at least 128 wide. */
  public static int scale(int size) {
    return Math.max(1, (128 + size - 1) / size);
  }

  /** The grid's width in pixels. */
  public static int width(int cols, int size) {
    return cols * (size * scale(size) + PAD) + PAD;
  }

  /** The grid's height in pixels. */
  public static int height(int rows, int size) {
    return LABEL + rows * (size * scale(size) + PAD) + PAD;
  }

  /**
   * Draws and writes the grid.
   *
   * @param labels the column labels
   * @param rows per row, one planar RGB image per column
   */
  public static void write(Path file, List<String> labels, List<List<float[]>> rows, int size)
      throws IOException {
    int cols = labels.size();
    int s = scale(size);
    int c = size * s;
    BufferedImage img = new BufferedImage(width(cols, size), height(rows.size(), size),
        BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, img.getWidth(), img.getHeight());
      g.setColor(Color.BLACK);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
          RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      for (int j = 0; j < cols; j++) {
        g.drawString(labels.get(j), PAD + j * (c + PAD) + 2, LABEL - 5);
      }
    } finally {
      g.dispose();
    }
    for (int r = 0; r < rows.size(); r++) {
      List<float[]> row = rows.get(r);
      if (row.size() != cols) {
        throw new IllegalArgumentException("row " + r + " has " + row.size() + " images, "
            + cols + " labels");
      }
      for (int j = 0; j < cols; j++) {
        float[] px = row.get(j);
        int x0 = PAD + j * (c + PAD);
        int y0 = LABEL + r * (c + PAD);
        for (int y = 0; y < c; y++) {
          for (int x = 0; x < c; x++) {
            int i = (y / s) * size + x / s;
            int rgb = 0;
            for (int ch = 0; ch < 3; ch++) {
              float v = Math.min(1f, Math.max(0f, px[ch * size * size + i]));
              rgb = (rgb << 8) | Math.round(v * 255f);
            }
            img.setRGB(x0 + x, y0 + y, rgb);
          }
        }
      }
    }
    if (!ImageIO.write(img, "png", file.toFile())) {
      throw new IOException(file + ": no PNG writer");
    }
  }
}
