package org.spiceoverlay.render;

import org.spiceoverlay.api.VideoFrame;

/**
 * A frame waiting in a stream's mailbox, with its number in the stream and when it was handed in.
 *
 * <p>Immutable reference holder; passed from the submitting thread to the render thread.
 */
record SubmittedFrame(VideoFrame frame, long sequence, long submittedNanos) {}
