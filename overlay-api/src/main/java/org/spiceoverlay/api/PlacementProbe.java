package org.spiceoverlay.api;

/**
 * The probe colour a guest player window is painted in before the video covers it. The client
 * locates this colour on its screen, inside the Spice client window, to calibrate where the guest
 * display area lies (the header bar height depends on theme, font and DPI), instead of trusting
 * fixed offsets alone.
 *
 * <p>A saturated magenta: rare in desktop themes, survives Spice's lossless and lossy image
 * compression within {@link #TOLERANCE} per channel.
 */
public final class PlacementProbe {

    /** Red component of the probe colour. */
    public static final int RED = 0xFF;
    /** Green component of the probe colour. */
    public static final int GREEN = 0x00;
    /** Blue component of the probe colour. */
    public static final int BLUE = 0xFF;
    /** The probe colour as 0xRRGGBB. */
    public static final int RGB = (RED << 16) | (GREEN << 8) | BLUE;
    /** Largest per-channel difference still taken as the probe colour. */
    public static final int TOLERANCE = 24;

    private PlacementProbe() {}

    /** Whether a pixel, given as 0xRRGGBB (higher bits ignored), is the probe colour. */
    public static boolean matches(int rgb) {
        return Math.abs(((rgb >> 16) & 0xFF) - RED) <= TOLERANCE
                && Math.abs(((rgb >> 8) & 0xFF) - GREEN) <= TOLERANCE
                && Math.abs((rgb & 0xFF) - BLUE) <= TOLERANCE;
    }
}
