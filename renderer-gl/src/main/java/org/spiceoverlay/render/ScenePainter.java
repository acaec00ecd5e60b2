package org.spiceoverlay.render;

import static org.lwjgl.opengl.GL33C.GL_BLEND;
import static org.lwjgl.opengl.GL33C.GL_COLOR_BUFFER_BIT;
import static org.lwjgl.opengl.GL33C.GL_DEPTH_TEST;
import static org.lwjgl.opengl.GL33C.GL_SCISSOR_TEST;
import static org.lwjgl.opengl.GL33C.GL_TRIANGLE_STRIP;
import static org.lwjgl.opengl.GL33C.glBindVertexArray;
import static org.lwjgl.opengl.GL33C.glClear;
import static org.lwjgl.opengl.GL33C.glClearColor;
import static org.lwjgl.opengl.GL33C.glDeleteVertexArrays;
import static org.lwjgl.opengl.GL33C.glDisable;
import static org.lwjgl.opengl.GL33C.glDrawArrays;
import static org.lwjgl.opengl.GL33C.glEnable;
import static org.lwjgl.opengl.GL33C.glGenVertexArrays;
import static org.lwjgl.opengl.GL33C.glScissor;
import static org.lwjgl.opengl.GL33C.glViewport;

import java.util.List;
import org.spiceoverlay.api.Rect;

/**
 * Draws the streams into the bound framebuffer, which shows the screen rectangle {@code area}:
 * everything cleared to transparent black, then per stream, per rectangle of its shown region, a
 * scissor to that rectangle, opaque black (the letterbox bars) and the picture on top, bilinearly
 * scaled. Streams are drawn in the order given, later ones over earlier ones.
 *
 * <p>Clipping is by scissor, one rectangle at a time: the visible region is a handful of disjoint
 * rectangles ({@link org.spiceoverlay.api.Region#rects()}), so that costs a few draws and no
 * stencil buffer, and it is exact to the pixel.
 *
 * <p>Threads: the render thread only.
 */
final class ScenePainter implements AutoCloseable {

    private final PictureShaders shaders;
    private int vao;

    ScenePainter() {
        shaders = new PictureShaders();
        // Core profile draws need a vertex array object bound, even one with no attributes.
        vao = glGenVertexArrays();
    }

    void paint(Rect area, List<LayerView> views) {
        glViewport(0, 0, area.width(), area.height());
        glDisable(GL_DEPTH_TEST);
        glDisable(GL_BLEND);
        glDisable(GL_SCISSOR_TEST);
        glClearColor(0f, 0f, 0f, 0f);
        glClear(GL_COLOR_BUFFER_BIT);
        glEnable(GL_SCISSOR_TEST);
        glClearColor(0f, 0f, 0f, 1f);
        glBindVertexArray(vao);
        for (LayerView view : views) {
            Rect picture = view.letterbox().picture();
            boolean hasPicture = !picture.isEmpty();
            if (hasPicture) {
                shaders.use(view.textures(), view.colorimetry(), clipRect(area, picture));
                view.textures().bindForDrawing();
            }
            for (Rect r : view.shown().rects()) {
                Rect visible = r.intersect(area);
                if (visible.isEmpty()) {
                    continue;
                }
                // GL's window coordinates run bottom-up; the screen's run top-down.
                glScissor(visible.x() - area.x(), area.bottom() - visible.bottom(), visible.width(), visible.height());
                glClear(GL_COLOR_BUFFER_BIT);
                if (hasPicture && visible.intersects(picture)) {
                    glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
                }
            }
        }
        glBindVertexArray(0);
        glDisable(GL_SCISSOR_TEST);
    }

    /** {@code picture} in clip space for a viewport showing {@code area}: {left, top, right, bottom}. */
    static float[] clipRect(Rect area, Rect picture) {
        double sx = 2.0 / area.width();
        double sy = 2.0 / area.height();
        return new float[] {
            (float) ((picture.x() - area.x()) * sx - 1.0),
            (float) (1.0 - (picture.y() - area.y()) * sy),
            (float) ((picture.right() - area.x()) * sx - 1.0),
            (float) (1.0 - (picture.bottom() - area.y()) * sy),
        };
    }

    @Override
    public void close() {
        if (vao != 0) {
            glDeleteVertexArrays(vao);
            vao = 0;
        }
        shaders.close();
    }
}
