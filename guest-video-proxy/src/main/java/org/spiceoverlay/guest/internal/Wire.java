package org.spiceoverlay.guest.internal;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.spiceoverlay.api.WireTypes;
import org.spiceoverlay.api.thrift.ClientLimits;
import org.spiceoverlay.api.thrift.CodecSupport;
import org.spiceoverlay.api.thrift.ErrorInfo;
import org.spiceoverlay.api.thrift.Geometry;
import org.spiceoverlay.api.thrift.HelloResponse;
import org.spiceoverlay.api.thrift.OverlayError;
import org.spiceoverlay.api.thrift.OverlayProtocolConstants;
import org.spiceoverlay.api.thrift.PlaybackState;
import org.spiceoverlay.api.thrift.QosReport;
import org.spiceoverlay.api.thrift.Sample;
import org.spiceoverlay.api.thrift.SeekMode;
import org.spiceoverlay.api.thrift.SourceKind;
import org.spiceoverlay.api.thrift.TimingMode;
import org.spiceoverlay.guest.ClientInfo;
import org.spiceoverlay.guest.GuestErrorCode;
import org.spiceoverlay.guest.GuestGeometry;
import org.spiceoverlay.guest.GuestQos;
import org.spiceoverlay.guest.GuestSample;
import org.spiceoverlay.guest.GuestSeekMode;
import org.spiceoverlay.guest.GuestSource;
import org.spiceoverlay.guest.GuestStreamError;
import org.spiceoverlay.guest.GuestStreamState;
import org.spiceoverlay.guest.GuestTiming;
import org.spiceoverlay.guest.OverlayException;

/**
 * The guest library's value types to and from the protocol's generated types: the one place they
 * meet, so the public API never shows a Thrift type and a protocol change stays inside the library.
 * The enums share their constants' names with the protocol's.
 *
 * <p>Stateless; any thread. Not API: vendors use {@code org.spiceoverlay.guest}.
 */
public final class Wire {

    private Wire() {}

    /** A sample for the wire: its buffer shared, not copied. */
    public static Sample sample(GuestSample s) {
        Sample w = new Sample(s.trackId(), s.data());
        if (s.ptsNs() != GuestSample.NO_TIME) {
            w.setPtsNs(s.ptsNs());
        }
        if (s.dtsNs() != GuestSample.NO_TIME) {
            w.setDtsNs(s.dtsNs());
        }
        if (s.durationNs() != GuestSample.NO_TIME) {
            w.setDurationNs(s.durationNs());
        }
        int flags = (s.keyframe() ? OverlayProtocolConstants.SAMPLE_FLAG_KEYFRAME : 0)
                | (s.discontinuity() ? OverlayProtocolConstants.SAMPLE_FLAG_DISCONT : 0);
        return w.setFlags(flags);
    }

    static List<Sample> samples(List<GuestSample> samples) {
        List<Sample> out = new ArrayList<>(samples.size());
        for (GuestSample s : samples) {
            out.add(sample(s));
        }
        return out;
    }

    public static Geometry geometry(GuestGeometry g, long seq) {
        return new Geometry(
                        seq,
                        g.displayId(),
                        g.displayWidth(),
                        g.displayHeight(),
                        WireTypes.toWire(g.videoRect()),
                        WireTypes.toWire(g.visible()))
                .setHidden(g.hidden());
    }

    public static OverlayException exception(OverlayError e) {
        return new OverlayException(
                code(e),
                e.getMessage(),
                e.isSetStreamId() ? e.getStreamId() : -1,
                e.isSetExpectedSeq() ? e.getExpectedSeq() : -1);
    }

    private static GuestErrorCode code(OverlayError e) {
        return e.getCode() == null
                ? GuestErrorCode.INTERNAL
                : GuestErrorCode.valueOf(e.getCode().name());
    }

    static GuestStreamError error(ErrorInfo e) {
        return new GuestStreamError(
                e.getCode() == null
                        ? GuestErrorCode.INTERNAL
                        : GuestErrorCode.valueOf(e.getCode().name()),
                e.getMessage() == null ? "" : e.getMessage(),
                e.isFatal());
    }

    static GuestStreamState state(PlaybackState s) {
        return GuestStreamState.valueOf(s.name());
    }

    static SeekMode seekMode(GuestSeekMode m) {
        return m == null ? SeekMode.ACCURATE : SeekMode.valueOf(m.name());
    }

    public static TimingMode timing(GuestTiming t) {
        return TimingMode.valueOf(t.name());
    }

    static GuestSource source(SourceKind k) {
        return GuestSource.valueOf(k.name());
    }

    static SourceKind source(GuestSource k) {
        return SourceKind.valueOf(k.name());
    }

    static GuestQos qos(QosReport q) {
        return new GuestQos(
                q.getFramesReceived(),
                q.getFramesDecoded(),
                q.getFramesPresented(),
                q.getFramesDropped(),
                q.isSetFramesRepeated() ? q.getFramesRepeated() : -1,
                q.isSetDecodeLatencyP50Us() ? q.getDecodeLatencyP50Us() : -1,
                q.isSetDecodeLatencyP95Us() ? q.getDecodeLatencyP95Us() : -1,
                q.isSetPresentLatencyP50Us() ? q.getPresentLatencyP50Us() : -1,
                q.isSetPresentLatencyP95Us() ? q.getPresentLatencyP95Us() : -1,
                q.isSetBytesReceived() ? q.getBytesReceived() : -1);
    }

    static ClientInfo client(HelloResponse h) {
        ClientLimits l = h.getLimits();
        List<ClientInfo.Decoder> decoders = new ArrayList<>();
        for (CodecSupport c : h.getDecoders()) {
            decoders.add(new ClientInfo.Decoder(
                    ClientInfo.Decoder.Kind.valueOf(c.getKind().name()), c.getCaps(), c.getElement()));
        }
        Set<GuestSource> sources = EnumSet.noneOf(GuestSource.class);
        for (SourceKind k : h.getSourceKinds()) {
            sources.add(source(k));
        }
        return new ClientInfo(
                h.getClientName(),
                h.getSessionId(),
                h.getVersion().getMajor(),
                h.getVersion().getMinor(),
                new ClientInfo.Limits(
                        l.getMaxStreams(),
                        l.getMaxChunkBytes(),
                        l.getMaxFrameWidth(),
                        l.getMaxFrameHeight(),
                        l.getMaxRegionRects(),
                        l.getMaxPollTimeoutMs(),
                        l.getEventLogCapacity(),
                        l.getMaxBufferedBytesPerStream()),
                decoders,
                sources);
    }
}
