package org.spiceoverlay.engine;

/** How exactly a seek lands. */
public enum SeekMode {
    /** On the requested position: decode from the keyframe before it, show from the position. */
    ACCURATE,
    /**
     * On the keyframe at or before the requested position (fast). For {@link SourceType#SAMPLES}
     * sessions the caller chooses the keyframe itself and seeks to its time.
     */
    KEY_UNIT
}
