package org.spiceoverlay.media;

/** The sample clips' audio codecs, with the chain that encodes raw audio to what the muxer takes. */
enum ClipAudio {
    AAC("AAC-LC", "audio/mpeg", "avenc_aac bitrate=128000 ! aacparse"),
    VORBIS("Vorbis", "audio/x-vorbis", "vorbisenc quality=0.3"),
    OPUS("Opus", "audio/x-opus", "opusenc bitrate=96000");

    final String label;
    final String mediaType;
    final String chain;

    ClipAudio(String label, String mediaType, String chain) {
        this.label = label;
        this.mediaType = mediaType;
        this.chain = chain;
    }
}
