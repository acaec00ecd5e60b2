package org.spiceoverlay.render;

import org.spiceoverlay.api.Colorimetry;
import org.spiceoverlay.api.Region;

/**
 * A stream as the render thread knows it: its layer, its textures and what they hold, and what
 * was drawn of it last. Render thread only.
 */
final class StreamSlot {
    final StreamLayer layer;
    final PlaneTextures textures = new PlaneTextures();
    boolean hasPicture;
    Colorimetry colorimetry;
    int frameWidth;
    int frameHeight;
    int parNumerator;
    int parDenominator;
    Region drawnRegion = Region.EMPTY;
    Letterbox drawnLetterbox;

    StreamSlot(StreamLayer layer) {
        this.layer = layer;
    }
}
