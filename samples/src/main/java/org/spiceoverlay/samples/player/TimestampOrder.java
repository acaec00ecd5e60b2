package org.spiceoverlay.samples.player;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.spiceoverlay.engine.EncodedSample;
import org.spiceoverlay.engine.EngineException;

/**
 * Hands over a demuxer's samples in decode-time order across tracks, each track's own order kept.
 * Files interleave audio and video in chunks (often half a second or more of one track, then the
 * other), so a player sending in file order at the media's pace would send the first audio only
 * after that much video, and the client, whose pipeline starts once both tracks have arrived,
 * would start that much late — every frame shown that much later than sent. Reads ahead in the
 * file by at most {@code lookaheadNs} of one track while the other has nothing.
 *
 * <p>The items are the source's ({@code T}: a demuxed sample holding its buffer, say), each seen
 * as an {@link EncodedSample} through {@code view}; items read ahead and then forgotten by
 * {@link #reset()} go to {@code drop} (which releases them).
 *
 * <p>Not thread-safe: the player's sending thread only.
 */
public final class TimestampOrder<T> {

    /** Where samples come from, in file order; null at the end. */
    @FunctionalInterface
    interface Source<T> {
        T next(long timeout, TimeUnit unit) throws EngineException, InterruptedException;
    }

    private final Source<T> source;
    private final Function<T, EncodedSample> view;
    private final Consumer<T> drop;
    private final long lookaheadNs;
    private final ArrayDeque<T> video = new ArrayDeque<>();
    private final ArrayDeque<T> audio = new ArrayDeque<>();
    private boolean ended;

    TimestampOrder(Source<T> source, Function<T, EncodedSample> view, Consumer<T> drop, long lookaheadNs) {
        this.source = source;
        this.view = view;
        this.drop = drop;
        this.lookaheadNs = lookaheadNs;
    }

    /** For a source of plain samples, which need no release. */
    static TimestampOrder<EncodedSample> of(Source<EncodedSample> source, long lookaheadNs) {
        return new TimestampOrder<>(source, Function.identity(), s -> {}, lookaheadNs);
    }

    /** The sample with the earliest decode time of the two tracks' next ones, or null at the end. */
    T next(long timeout, TimeUnit unit) throws EngineException, InterruptedException {
        while (!ended && (video.isEmpty() || audio.isEmpty())) {
            ArrayDeque<T> waiting = video.isEmpty() ? audio : video;
            if (!waiting.isEmpty() && span(waiting) >= lookaheadNs) {
                break; // the other track is absent here, or far ahead in the file
            }
            T s = source.next(timeout, unit);
            if (s == null) {
                ended = true;
                break;
            }
            (view.apply(s).track() == EncodedSample.Track.VIDEO ? video : audio).add(s);
        }
        if (video.isEmpty()) {
            return audio.poll();
        }
        if (audio.isEmpty()) {
            return video.poll();
        }
        long v = view.apply(video.peek()).decodeTimeNs();
        long a = view.apply(audio.peek()).decodeTimeNs();
        if (v == EncodedSample.NO_TIME || a == EncodedSample.NO_TIME) {
            return video.poll(); // untimed: keep the file's order as far as it goes
        }
        return v <= a ? video.poll() : audio.poll();
    }

    /** Forgets what was read ahead (the source was moved: a seek). */
    void reset() {
        video.forEach(drop);
        audio.forEach(drop);
        video.clear();
        audio.clear();
        ended = false;
    }

    private long span(ArrayDeque<T> q) {
        long first = view.apply(q.peekFirst()).decodeTimeNs();
        long last = view.apply(q.peekLast()).decodeTimeNs();
        // Untimed samples: read no further ahead.
        return first == EncodedSample.NO_TIME || last == EncodedSample.NO_TIME ? Long.MAX_VALUE : last - first;
    }
}
