package org.spiceoverlay.render;

import java.util.Objects;
import org.spiceoverlay.api.Colorimetry;
import org.spiceoverlay.api.Region;

/**
 * What the painter needs to draw one stream: the pixels it may touch, where its picture goes, and
 * the textures and colorimetry of that picture.
 *
 * <p>Immutable reference holder; the render thread only (it refers to GL textures).
 *
 * @param shown       the screen pixels the stream covers (visible part of its rectangle)
 * @param letterbox   its rectangle and the picture inside it
 * @param textures    the picture
 * @param colorimetry how to turn the picture's YUV into RGB
 */
record LayerView(Region shown, Letterbox letterbox, PlaneTextures textures, Colorimetry colorimetry) {

    LayerView {
        Objects.requireNonNull(shown, "shown");
        Objects.requireNonNull(letterbox, "letterbox");
        Objects.requireNonNull(textures, "textures");
        Objects.requireNonNull(colorimetry, "colorimetry");
    }
}
