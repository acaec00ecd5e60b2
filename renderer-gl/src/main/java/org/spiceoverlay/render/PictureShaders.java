package org.spiceoverlay.render;

import static org.lwjgl.opengl.GL33C.GL_COMPILE_STATUS;
import static org.lwjgl.opengl.GL33C.GL_FRAGMENT_SHADER;
import static org.lwjgl.opengl.GL33C.GL_LINK_STATUS;
import static org.lwjgl.opengl.GL33C.GL_VERTEX_SHADER;
import static org.lwjgl.opengl.GL33C.glAttachShader;
import static org.lwjgl.opengl.GL33C.glCompileShader;
import static org.lwjgl.opengl.GL33C.glCreateProgram;
import static org.lwjgl.opengl.GL33C.glCreateShader;
import static org.lwjgl.opengl.GL33C.glDeleteProgram;
import static org.lwjgl.opengl.GL33C.glDeleteShader;
import static org.lwjgl.opengl.GL33C.glDetachShader;
import static org.lwjgl.opengl.GL33C.glGetProgramInfoLog;
import static org.lwjgl.opengl.GL33C.glGetProgrami;
import static org.lwjgl.opengl.GL33C.glGetShaderInfoLog;
import static org.lwjgl.opengl.GL33C.glGetShaderi;
import static org.lwjgl.opengl.GL33C.glGetUniformLocation;
import static org.lwjgl.opengl.GL33C.glLinkProgram;
import static org.lwjgl.opengl.GL33C.glShaderSource;
import static org.lwjgl.opengl.GL33C.glUniform1i;
import static org.lwjgl.opengl.GL33C.glUniform4f;
import static org.lwjgl.opengl.GL33C.glUniformMatrix4fv;
import static org.lwjgl.opengl.GL33C.glUseProgram;

import java.nio.FloatBuffer;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import org.lwjgl.system.MemoryStack;
import org.spiceoverlay.api.Colorimetry;
import org.spiceoverlay.api.PixelFormat;

/**
 * The three GLSL 3.30 core programs that draw a picture: packed RGB (byte order and alpha fixed up
 * by the texture swizzle), I420 (three R8 planes) and NV12 (R8 + RG8), the YUV ones converting with
 * the frame's {@link YuvToRgb} matrix.
 *
 * <p>The vertex shader makes the quad from {@code gl_VertexID} (no vertex buffer): corner
 * {@code c} in [0,1]^2 lands at {@code mix(rect.xy, rect.zw, c)} in clip space and samples the
 * texture at {@code c}, so texture row 0, the frame's top row, is drawn at the top.
 *
 * <p>Chroma is interpolated bilinearly at the luma sample's position with centred chroma siting, as
 * GStreamer's general converter does, from the luma size rather than the chroma texture's: for an
 * odd width the chroma plane has one column more than half the luma plane, and chroma sample k
 * must stay under luma samples 2k and 2k+1.
 *
 * <p>Threads: the render thread only.
 */
final class PictureShaders implements AutoCloseable {

    private static final String VERTEX =
            """
            #version 330 core
            uniform vec4 uRect; // left, top, right, bottom in clip space
            out vec2 vTex;
            void main() {
                vec2 c = vec2(float(gl_VertexID & 1), float(gl_VertexID >> 1));
                vTex = c;
                gl_Position = vec4(mix(uRect.x, uRect.z, c.x), mix(uRect.y, uRect.w, c.y), 0.0, 1.0);
            }
            """;

    private static final String FRAGMENT =
            """
            in vec2 vTex;
            out vec4 oColor;
            uniform sampler2D uPlane0;
            uniform sampler2D uPlane1;
            uniform sampler2D uPlane2;
            uniform mat4 uYuvToRgb;
            #if !defined(PACKED_RGB)
            // Chroma at luma position vTex, bilinear between the four nearest chroma samples with
            // weights computed here in float: hardware filtering quantises its weights (llvmpipe to
            // 8 bits), which shows as an error of 2-3 in blue at sharp chroma edges.
            vec2 chroma(vec2 tex) {
                ivec2 last = textureSize(uPlane1, 0) - 1;
                // Chroma sample k sits midway between luma samples 2k and 2k+1 (centred siting).
                vec2 pos = tex * vec2(textureSize(uPlane0, 0)) * 0.5 - 0.5;
                vec2 cell = floor(pos);
                vec2 f = pos - cell;
                ivec2 a = clamp(ivec2(cell), ivec2(0), last);
                ivec2 b = clamp(ivec2(cell) + 1, ivec2(0), last);
            #if defined(I420)
                vec2 s00 = vec2(texelFetch(uPlane1, a, 0).r, texelFetch(uPlane2, a, 0).r);
                vec2 s10 = vec2(texelFetch(uPlane1, ivec2(b.x, a.y), 0).r, texelFetch(uPlane2, ivec2(b.x, a.y), 0).r);
                vec2 s01 = vec2(texelFetch(uPlane1, ivec2(a.x, b.y), 0).r, texelFetch(uPlane2, ivec2(a.x, b.y), 0).r);
                vec2 s11 = vec2(texelFetch(uPlane1, b, 0).r, texelFetch(uPlane2, b, 0).r);
            #else
                vec2 s00 = texelFetch(uPlane1, a, 0).rg;
                vec2 s10 = texelFetch(uPlane1, ivec2(b.x, a.y), 0).rg;
                vec2 s01 = texelFetch(uPlane1, ivec2(a.x, b.y), 0).rg;
                vec2 s11 = texelFetch(uPlane1, b, 0).rg;
            #endif
                return mix(mix(s00, s10, f.x), mix(s01, s11, f.x), f.y);
            }
            #endif
            void main() {
            #if defined(PACKED_RGB)
                oColor = vec4(texture(uPlane0, vTex).rgb, 1.0);
            #else
                float y = texture(uPlane0, vTex).r;
                oColor = vec4(clamp((uYuvToRgb * vec4(y, chroma(vTex), 1.0)).rgb, 0.0, 1.0), 1.0);
            #endif
            }
            """;

    private enum Kind {
        PACKED_RGB,
        I420,
        NV12
    }

    private final Map<Kind, Program> programs = new EnumMap<>(Kind.class);
    private final Map<Colorimetry, YuvToRgb> matrices = new HashMap<>();

    PictureShaders() {
        try {
            for (Kind kind : Kind.values()) {
                programs.put(kind, new Program(kind));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Makes the program for {@code textures}' format current with its uniforms set for a picture
     * drawn at {@code clip} ({left, top, right, bottom} in clip space).
     */
    void use(PlaneTextures textures, Colorimetry colorimetry, float[] clip) {
        PixelFormat format = textures.format();
        Kind kind =
                switch (format) {
                    case I420 -> Kind.I420;
                    case NV12 -> Kind.NV12;
                    default -> Kind.PACKED_RGB;
                };
        Program p = programs.get(kind);
        glUseProgram(p.id);
        glUniform4f(p.rect, clip[0], clip[1], clip[2], clip[3]);
        if (kind != Kind.PACKED_RGB) {
            YuvToRgb m = matrices.computeIfAbsent(colorimetry, YuvToRgb::of);
            try (MemoryStack stack = MemoryStack.stackPush()) {
                FloatBuffer values = stack.mallocFloat(16);
                m.store(values);
                glUniformMatrix4fv(p.yuvToRgb, false, values);
            }
        }
    }

    @Override
    public void close() {
        for (Program p : programs.values()) {
            glDeleteProgram(p.id);
        }
        programs.clear();
        glUseProgram(0);
    }

    /** One linked program and its uniform locations. */
    private static final class Program {
        final int id;
        final int rect;
        final int yuvToRgb;

        Program(Kind kind) {
            int vs = compile(GL_VERTEX_SHADER, VERTEX, kind);
            int fs;
            try {
                fs = compile(GL_FRAGMENT_SHADER, "#version 330 core\n#define " + kind.name() + "\n" + FRAGMENT, kind);
            } catch (RuntimeException e) {
                glDeleteShader(vs);
                throw e;
            }
            id = glCreateProgram();
            glAttachShader(id, vs);
            glAttachShader(id, fs);
            glLinkProgram(id);
            glDetachShader(id, vs);
            glDetachShader(id, fs);
            glDeleteShader(vs);
            glDeleteShader(fs);
            if (glGetProgrami(id, GL_LINK_STATUS) == 0) {
                String log = glGetProgramInfoLog(id);
                glDeleteProgram(id);
                throw new RenderException("the " + kind + " picture program did not link: " + log);
            }
            rect = glGetUniformLocation(id, "uRect");
            yuvToRgb = glGetUniformLocation(id, "uYuvToRgb");
            glUseProgram(id);
            glUniform1i(glGetUniformLocation(id, "uPlane0"), 0);
            glUniform1i(glGetUniformLocation(id, "uPlane1"), 1);
            glUniform1i(glGetUniformLocation(id, "uPlane2"), 2);
            glUseProgram(0);
        }

        private static int compile(int type, String source, Kind kind) {
            int shader = glCreateShader(type);
            glShaderSource(shader, source);
            glCompileShader(shader);
            if (glGetShaderi(shader, GL_COMPILE_STATUS) == 0) {
                String log = glGetShaderInfoLog(shader);
                glDeleteShader(shader);
                throw new RenderException("the " + kind + (type == GL_VERTEX_SHADER ? " vertex" : " fragment")
                        + " shader did not compile: " + log);
            }
            return shader;
        }
    }
}
