package org.spiceoverlay.guest;

/** How {@link GuestStream#seek} lands. */
public enum GuestSeekMode {
    /** Exactly on the position (decode from the keyframe before, show from the target). */
    ACCURATE,
    /** On the keyframe at or before the position (fast). */
    KEY_UNIT
}
