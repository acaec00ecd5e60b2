package org.spiceoverlay.media;

/** The sample clips' containers, with their muxer. */
enum ClipContainer {
    // faststart puts the index (moov) before the samples, so a player can start from the
    // first bytes, as a guest streaming container bytes (PUSH_BYTES) does.
    MP4("MP4", "mp4", "mp4mux faststart=true"),
    WEBM("WebM", "webm", "webmmux");

    final String label;
    final String extension;
    final String muxer;

    ClipContainer(String label, String extension, String muxer) {
        this.label = label;
        this.extension = extension;
        this.muxer = muxer;
    }
}
