/**
 * Neural art (paper §3.4) on DJL: θ is an image's pixels, f is Gatys et al.'s content + style +
 * total-variation loss on the features of a fixed {@link org.l2l4j.djl.art.FeatureNet} (by
 * default {@link org.l2l4j.djl.art.RandomFeatureNet}, random multi-scale convolutions after
 * Ustyuzhaninov et al. 2017), with the gradient wrt the pixels from DJL's autograd. Images come
 * from scikit-image's sample data ({@link org.l2l4j.djl.art.ArtData}) read by {@link
 * org.l2l4j.djl.art.ArtImages}.
 */
package org.l2l4j.djl.art;
