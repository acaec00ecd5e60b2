package org.spiceoverlay.engine;

/** When decoded frames are handed to the {@link FrameSink}. */
public enum Pacing {
    /**
     * At their presentation time on the session clock (the audio clock when there is audio): what a
     * viewer of a file sees. Pause holds, rate scales time.
     */
    CLOCK,
    /**
     * As soon as they are decoded, with no waiting: live streams (lowest latency), and headless
     * decoding for checks and benchmarks.
     */
    IMMEDIATE
}
