/*
 * spice-overlay protocol: video redirection from a guest player to the Spice client.
 *
 * This file is the contract player vendors implement against. The guest side (a player, through the
 * guest-video-proxy library or daemon) calls OverlayService on the client machine; the client decodes
 * the compressed stream and draws it over the guest's video window inside the Spice display window.
 *
 * Transport: any byte stream (TCP, a Unix socket, a virtio-serial port) carrying Thrift's
 * TBinaryProtocol inside TFramedTransport. One connection is one session: hello first, then streams.
 * Calls on one connection are answered in order.
 *
 * Evolution rules: field ids are never reused or renumbered; every field added after version 1.0 is
 * `optional`; enum values are never renumbered. A peer must ignore fields and enum values it does not
 * know (Thrift does the former by itself; for enums, treat an unknown value as "unspecified").
 *
 * Units everywhere: times in nanoseconds (i64), sizes and coordinates in pixels (i32), data in bytes.
 * Coordinates are guest-display pixels with the origin at the display's top-left corner, x to the
 * right, y down. A rectangle covers [x, x+width) x [y, y+height).
 */

namespace java org.spiceoverlay.api.thrift

/** Major protocol version. Peers with different majors cannot talk (VERSION_MISMATCH at hello). */
const i32 PROTOCOL_VERSION_MAJOR = 1
/** Minor protocol version. Peers with the same major use the smaller of the two minors. */
const i32 PROTOCOL_VERSION_MINOR = 0

/** Flag bits for Sample.flags. */
/** The sample starts a decodable unit by itself (IDR / keyframe). */
const i32 SAMPLE_FLAG_KEYFRAME = 1
/** Data before this sample is not continuous with it (after a seek, a dropped range, a splice). */
const i32 SAMPLE_FLAG_DISCONT = 2
/** The sample must be decoded but not shown (e.g. pre-roll before an accurate seek target). */
const i32 SAMPLE_FLAG_DECODE_ONLY = 4
/** The sample carries codec configuration only (e.g. VPS/SPS/PPS), no picture. */
const i32 SAMPLE_FLAG_HEADER = 8

// ------------------------------------------------------------------------------------------------
// Errors
// ------------------------------------------------------------------------------------------------

/** What went wrong, as a code a program can act on. The accompanying message is for people. */
enum ErrorCode {
  /** Protocol majors differ. The message names both versions. Fall back to local playback. */
  VERSION_MISMATCH = 1,
  /** The client requires an auth token and the one given is missing or wrong. */
  AUTH_FAILED = 2,
  /** A call other than hello arrived before a successful hello on this connection. */
  HELLO_REQUIRED = 3,
  /** The stream id is not (or no longer) known in this session. */
  UNKNOWN_STREAM = 4,
  /** The client cannot decode this codec or container; the message names the caps. Play locally. */
  UNSUPPORTED_CODEC = 5,
  /** A field has an invalid value (negative size, empty caps, rect outside the display...). The
   *  message names the field. */
  INVALID_ARGUMENT = 6,
  /** A client limit (streams per session, chunk size, frame size, region rectangles) would be
   *  exceeded. The message names the limit and its value; HelloResponse.limits lists them all. */
  LIMIT_EXCEEDED = 7,
  /** pushData sent more bytes than the client granted (see Credit). The chunk was dropped. */
  CREDIT_EXCEEDED = 8,
  /** A DataChunk.seq skipped ahead of the next expected number. The chunk was dropped; resend
   *  from Error.expectedSeq. */
  OUT_OF_SEQUENCE = 9,
  /** URI sources are disabled on this client, or the URI's scheme or host is not on its allow-list. */
  URI_NOT_ALLOWED = 10,
  /** The decoder failed on the data (corrupt or truncated bitstream, caps that lie about the codec).
   *  Usually reported as an event; the stream may recover at the next keyframe. */
  DECODE_ERROR = 11,
  /** The client could not get a resource it needs (decoder instance, GL texture, audio device). */
  RESOURCE_UNAVAILABLE = 12,
  /** The stream was closed (by the guest, by the client on error, or because its session ended). */
  STREAM_CLOSED = 13,
  /** The displayId is not one of the displays announced in hello or updateDisplays. */
  UNKNOWN_DISPLAY = 14,
  /** The operation is not valid for this stream's source kind or state (e.g. bytes pushed to a
   *  PUSH_SAMPLES stream, a seek on a LIVE stream). */
  INVALID_STATE = 15,
  /** A fault inside the client. The message says what; the session stays usable. */
  INTERNAL = 16
}

/** Thrown by any call that fails. The session stays open; other streams are not affected. */
exception OverlayError {
  /** Machine-readable reason. */
  1: required ErrorCode code,
  /** What happened and what to do, for a person reading a log. */
  2: required string message,
  /** The stream the error belongs to, when it belongs to one. */
  3: optional i64 streamId,
  /** With OUT_OF_SEQUENCE: the sequence number the client expects next. */
  4: optional i64 expectedSeq
}

/** An error reported asynchronously, inside an Event (same meaning as OverlayError). */
struct ErrorInfo {
  1: required ErrorCode code,
  2: required string message,
  /** True when the stream cannot continue and has been closed by the client. */
  3: optional bool fatal = false
}

// ------------------------------------------------------------------------------------------------
// Geometry
// ------------------------------------------------------------------------------------------------

/** An axis-aligned rectangle in guest-display pixels. width and height are >= 0; x + width and
 *  y + height must fit in i32. */
struct IRect {
  1: required i32 x,
  2: required i32 y,
  3: required i32 width,
  4: required i32 height
}

/** One guest monitor. A guest with several monitors announces each; Spice shows each in its own
 *  client window. */
struct GuestDisplay {
  /** The Spice display channel / monitor index, starting at 0 (what remote-viewer calls "Display 1"
   *  is id 0). */
  1: required i32 displayId,
  /** Size of the display's framebuffer, in pixels (> 0). */
  2: required i32 width,
  3: required i32 height,
  /** Position of this monitor in the guest's virtual desktop (for multi-monitor layouts; 0,0 for
   *  the first). Informational: all geometry is given per display. */
  4: optional i32 x = 0,
  5: optional i32 y = 0
}

/**
 * Where a stream's video is on the guest display, as a full state (never a delta). The client keeps
 * the newest state per stream: an update whose seq is not greater than the last applied one is stale
 * and is dropped (setGeometry returns false).
 */
struct Geometry {
  /** Monotonic per stream, starting at 1; the guest increments it on every change. */
  1: required i64 seq,
  /** Which guest display the video window is on (a GuestDisplay.displayId). */
  2: required i32 displayId,
  /** The guest display's size when this geometry was measured. When it differs from the client's
   *  view of the display (a resolution change racing with this update), the client waits for the
   *  display to match before placing the video. */
  3: required i32 displayWidth,
  4: required i32 displayHeight,
  /** The video's rectangle on the guest display: where the player would draw the picture,
   *  already letterboxed by the player if it letterboxes. The client scales the decoded picture
   *  into this rectangle keeping its display aspect ratio. May extend past the display edges. */
  5: required IRect videoRect,
  /** The part of videoRect that is visible (not covered by other guest windows), as rectangles in
   *  the same guest-display space, possibly overlapping. The client clips to their union
   *  intersected with videoRect. A fully visible video sends [videoRect]; an empty list means
   *  nothing is visible. At most HelloResponse.limits.maxRegionRects entries. */
  6: required list<IRect> visibleRegion,
  /** True hides the video (player minimised, window unmapped, tab in background) while the stream
   *  keeps decoding. */
  7: optional bool hidden = false
}

// ------------------------------------------------------------------------------------------------
// Session setup
// ------------------------------------------------------------------------------------------------

struct ProtocolVersion {
  1: required i32 major,
  2: required i32 minor
}

struct HelloRequest {
  /** The protocol version the guest speaks (PROTOCOL_VERSION_MAJOR/MINOR of its IDL copy). */
  1: required ProtocolVersion version,
  /** Shared secret, when the client is configured to require one (AUTH_FAILED otherwise). */
  2: optional string authToken,
  /** Every display of the guest, at least one, distinct ids. */
  3: required list<GuestDisplay> displays,
  /** Who is calling, for logs: e.g. "acme-player/4.2 pid 1234". */
  4: optional string guestName
}

/** What this client will accept; exceeding any of these gives LIMIT_EXCEEDED. */
struct ClientLimits {
  /** Open streams per session. */
  1: required i32 maxStreams,
  /** Largest DataChunk payload in bytes (all samples' data together, or the bytes field). A sample
   *  is never split across chunks, so this is also the largest sample (4 MiB by default). */
  2: required i32 maxChunkBytes,
  /** Largest decoded picture the client accepts, in pixels. */
  3: required i32 maxFrameWidth,
  4: required i32 maxFrameHeight,
  /** Most rectangles in Geometry.visibleRegion. */
  5: required i32 maxRegionRects,
  /** Longest pollEvents wait the client honours, in milliseconds; longer waits are shortened. */
  6: required i32 maxPollTimeoutMs,
  /** Most events the client keeps for a session; a guest that polls less often loses the oldest
   *  (EventBatch.firstAvailableSeq tells it so). */
  7: required i32 eventLogCapacity,
  /** Most bytes a stream may have in flight (sent but not yet consumed) -- the credit window. */
  8: required i64 maxBufferedBytesPerStream
}

/** What kind of media a caps string describes. */
enum MediaKind {
  VIDEO = 1,
  AUDIO = 2,
  /** A container format (MP4, WebM/Matroska, MPEG-TS) the client can demux for PUSH_BYTES. */
  CONTAINER = 3
}

/** One format the client can take. */
struct CodecSupport {
  1: required MediaKind kind,
  /** GStreamer caps media type and the fields that matter, e.g. "video/x-h264" or
   *  "video/x-h264, stream-format=(string){ byte-stream, avc }". */
  2: required string caps,
  /** Name of the decoder (or demuxer) that will be used, for logs, e.g. "avdec_h264". */
  3: optional string element
}

enum SourceKind {
  /** Elementary samples with caps and timestamps: the guest demuxes, the client decodes. Preferred. */
  PUSH_SAMPLES = 1,
  /** Container bytes (MP4, WebM, MPEG-TS) that the client demuxes and decodes. */
  PUSH_BYTES = 2,
  /** A URI the client fetches itself. Off unless the client's policy allows the scheme and host. */
  URI = 3
}

struct HelloResponse {
  /** The version both sides now speak: the client's major, min(client minor, guest minor). */
  1: required ProtocolVersion version,
  /** The client software, for logs: e.g. "spice-overlay/0.1.0". */
  2: required string clientName,
  /** Identifies this session in the client's logs (not a secret, not reusable). */
  3: required i64 sessionId,
  /** Everything the client can decode or demux (probed from its media framework). A guest should
   *  only create streams whose caps match one of these, and play locally otherwise. */
  4: required list<CodecSupport> decoders,
  5: required ClientLimits limits,
  /** Which SourceKinds this client accepts (URI only when its policy enables it). */
  6: required set<SourceKind> sourceKinds,
  /** Lets another connection join this session with attach(): the guest library polls events on a
   *  second connection so that a long poll never holds up data calls. A secret: only the connection
   *  that said hello learns it. */
  7: required string sessionToken
}

// ------------------------------------------------------------------------------------------------
// Streams
// ------------------------------------------------------------------------------------------------

enum TimingMode {
  /** Files: the guest sends ahead (within its credit); the client presents each frame at its pts on
   *  the stream clock, video slaved to audio, and reports position. */
  BUFFERED = 1,
  /** Calls, cameras, screen shares: each frame is shown as soon as it is decoded; nothing is held
   *  back for sync; late frames are never waited for. */
  LIVE = 2
}

/** One elementary track of a PUSH_SAMPLES stream. */
struct TrackInfo {
  /** Chosen by the guest, unique within the stream; Sample.trackId refers to it. */
  1: required i32 trackId,
  /** VIDEO or AUDIO. At most one of each per stream in this version. */
  2: required MediaKind kind,
  /** Full GStreamer caps of the elementary stream, including what the decoder needs:
   *  e.g. "video/x-h264, stream-format=byte-stream, alignment=au, width=1280, height=720,
   *  framerate=30/1" or "video/x-h264, stream-format=avc, codec_data=(buffer)0164...",
   *  "video/x-vp9", "audio/mpeg, mpegversion=4, stream-format=raw, codec_data=(buffer)1190". */
  3: required string caps
}

struct CreateStreamRequest {
  1: required SourceKind source,
  /** PUSH_SAMPLES: the tracks (one video track required, one audio track optional). */
  2: optional list<TrackInfo> tracks,
  /** PUSH_BYTES: the container's caps if the guest knows them (e.g. "video/quicktime",
   *  "video/webm", "video/mpegts, systemstream=true"); absent = the client detects the type. */
  3: optional string containerCaps,
  /** URI: what to play (http, https, rtsp... per the client's allow-list; never file:). */
  4: optional string uri,
  /** Where the video is when the stream starts (its seq starts the stream's geometry sequence). */
  5: required Geometry geometry,
  /** Play the stream's audio on the client (when it has any). False: the client ignores audio
   *  samples and the guest plays audio itself. */
  6: optional bool audio = true,
  7: optional TimingMode timing = TimingMode.BUFFERED,
  /** Total duration if known (for position reports and seeking PUSH_BYTES/URI streams). */
  8: optional i64 durationNs,
  /** Start paused (PLAY via control) instead of playing as soon as data arrives. */
  9: optional bool startPaused = false,
  /** Free text for logs, e.g. the clip's title. */
  10: optional string title,
  /** PUSH_SAMPLES: the pts of the media's first frame, i.e. where time 0 of the media is on the
   *  samples' pts timeline. Usually 0; an MP4 with B-frames puts its first frame at a small delay
   *  (its edit list) so that decode times stay non-negative. Positions, seeks and durations in this
   *  protocol are media time = pts - startTimeNs. */
  11: optional i64 startTimeNs = 0,
  /** BUFFERED: how far ahead of its time the guest sends each sample (its buffer against jitter).
   *  When set (> 0), the client anchors its presentation clock: media time 0 is shown leadNs after
   *  the first sample arrived, and every frame at its media time on that clock, so the picture is
   *  leadNs behind the player's own clock. Absent or 0: the client starts as soon as it has
   *  prerolled. Ignored for LIVE and for streams that start paused. At most 10 s. */
  12: optional i64 leadNs = 0
}

/**
 * Back-pressure. Credits are absolute so that a lost or repeated grant does no harm: the guest may
 * send chunks as long as (total payload bytes it has sent on this stream) <= bytesLimit. The limit
 * only grows, by the amount the client has consumed. In BUFFERED mode ptsLimitNs, when set, also
 * caps how far ahead of playback the guest may send (a sample whose pts is beyond it waits).
 */
struct Credit {
  1: required i64 streamId,
  /** Cumulative payload bytes the guest may have sent on this stream since it was created. */
  2: required i64 bytesLimit,
  /** Samples with pts greater than this wait for a later grant (absent: no time limit). */
  3: optional i64 ptsLimitNs
}

struct CreateStreamResponse {
  /** The client's id for the stream; unique within the session, never reused. */
  1: required i64 streamId,
  /** The first grant. */
  2: required Credit credit
}

/** One elementary sample (an access unit: a whole frame, or a block of audio). */
struct Sample {
  /** A TrackInfo.trackId of this stream. */
  1: required i32 trackId,
  /** The compressed bytes, in the format the track's caps say (e.g. Annex-B or length-prefixed). */
  2: required binary data,
  /** Presentation time on the stream's timeline (0 = start of the media). Absent: unknown. */
  3: optional i64 ptsNs,
  /** Decode time, when it differs from pts (B-frames). */
  4: optional i64 dtsNs,
  5: optional i64 durationNs,
  /** SAMPLE_FLAG_* bits. */
  6: optional i32 flags = 0,
  /** When the guest sent it, on the guest's monotonic clock (for latency reports); optional. */
  7: optional i64 sentAtNs
}

/** One pushData call's payload. */
struct DataChunk {
  1: required i64 streamId,
  /** 1 for the first chunk of the stream, then +1 per chunk. A seq the client already has is
   *  acknowledged and ignored (safe to resend after a timeout); a gap is OUT_OF_SEQUENCE. */
  2: required i64 seq,
  /** PUSH_SAMPLES: the samples, in decode order. */
  3: optional list<Sample> samples,
  /** PUSH_BYTES: the next bytes of the container. */
  4: optional binary bytes,
  /** The guest has nothing more to send: the client drains what it has and then reports EOS. */
  5: optional bool endOfStream = false
}

struct PushResult {
  /** Highest seq the client has accepted on this stream. */
  1: required i64 acceptedSeq,
  /** The current grant (the same value also arrives as a CREDIT event when it grows). */
  2: required Credit credit
}

// ------------------------------------------------------------------------------------------------
// Control
// ------------------------------------------------------------------------------------------------

enum ControlAction {
  PLAY = 1,
  PAUSE = 2,
  /** Flushing seek to positionNs. PUSH_SAMPLES: the client drops everything it holds; the guest
   *  then sends samples from the new position starting at chunk seq resumeSeq (earlier seqs still
   *  in flight are discarded), the first one flagged DISCONT. PUSH_BYTES / URI: the client seeks. */
  SEEK = 3,
  /** Playback rate (> 0; 1.0 normal). BUFFERED streams only. */
  SET_RATE = 4,
  /** Volume 0.0 .. 1.0 (linear). */
  SET_VOLUME = 5,
  SET_MUTE = 6,
  /** Stop and release the stream; its id becomes unknown after the STREAM_CLOSED event. */
  CLOSE = 7
}

enum SeekMode {
  /** Land exactly on positionNs (decode from the previous keyframe, show from the target). */
  ACCURATE = 1,
  /** Land on the nearest keyframe at or before positionNs (fast). */
  KEY_UNIT = 2
}

struct ControlCommand {
  1: required ControlAction action,
  /** SEEK: target on the stream's timeline. */
  2: optional i64 positionNs,
  /** SEEK: default ACCURATE. */
  3: optional SeekMode seekMode = SeekMode.ACCURATE,
  /** SEEK on PUSH_SAMPLES streams: the first chunk seq that carries data for the new position. */
  4: optional i64 resumeSeq,
  /** SET_RATE (and SEEK: the rate after the seek, default 1.0). On PUSH_SAMPLES streams a rate
   *  change restarts the stream's data like SEEK: the guest sends again from positionNs (its current
   *  position, from POSITION events) starting at chunk resumeSeq. */
  5: optional double rate,
  /** SET_VOLUME. */
  6: optional double volume,
  /** SET_MUTE. */
  7: optional bool mute
}

// ------------------------------------------------------------------------------------------------
// Events (client -> guest, by long poll)
// ------------------------------------------------------------------------------------------------

enum PlaybackState {
  /** Created, waiting for enough data to show the first frame. */
  PREROLLING = 1,
  PAUSED = 2,
  PLAYING = 3,
  /** Playing but starved: waiting for data (BUFFERED streams). */
  BUFFERING = 4,
  /** Released; no more events for this stream after STREAM_CLOSED. */
  CLOSED = 5
}

enum EventKind {
  /** state holds the new PlaybackState. */
  STATE_CHANGED = 1,
  /** Every frame sent has been presented (after DataChunk.endOfStream, or the end of a URI). */
  END_OF_STREAM = 2,
  /** error holds what went wrong; error.fatal says whether the stream was closed. */
  ERROR = 3,
  /** positionNs (and durationNs when known): sent about every 500 ms while playing, and after seeks. */
  POSITION = 4,
  /** credit holds a larger grant. */
  CREDIT = 5,
  /** qos holds frame and latency counters; sent about once a second while playing. */
  QOS = 6,
  /** A seek finished: positionNs is where playback now is. */
  SEEK_DONE = 7,
  /** The stream is gone (after CLOSE, a fatal error, or the client shutting down). */
  STREAM_CLOSED = 8,
  /** The client stopped showing the video for a reason of its own (the Spice window was minimised
   *  or closed: visible=false) or showed it again (visible=true). The guest may keep sending. */
  VISIBILITY = 9
}

/** Counters since the stream started, and latencies over the last report interval. */
struct QosReport {
  1: required i64 framesReceived,
  2: required i64 framesDecoded,
  /** Shown for the first time (with no screen on the client: taken for display at its refresh rate). */
  3: required i64 framesPresented,
  /** Decoded but never shown (late, or superseded by a newer frame). */
  4: required i64 framesDropped,
  /**
   * Refreshes that showed the same frame again because no newer one was due, since the stream
   * started. Absent when the client shows nothing on a screen (it only decodes and counts frames,
   * e.g. `overlay client --no-window`): nothing is presented, so nothing is repeated.
   */
  5: optional i64 framesRepeated,
  /** Received on the client -> decoded, microseconds, median and 95th percentile. */
  6: optional i64 decodeLatencyP50Us,
  7: optional i64 decodeLatencyP95Us,
  /**
   * Received on the client -> on screen (after the buffer swap that first showed the frame),
   * microseconds, median and 95th percentile over the frames presented since the previous QoS
   * report of the stream. Absent when no frame was presented in that interval (paused, hidden,
   * not started) and whenever the client shows nothing on a screen (see framesRepeated): never 0
   * for "not measured".
   */
  8: optional i64 presentLatencyP50Us,
  9: optional i64 presentLatencyP95Us,
  /** Payload bytes received. */
  10: optional i64 bytesReceived
}

struct Event {
  /** Session-wide, strictly increasing, starting at 1. */
  1: required i64 seq,
  2: required EventKind kind,
  /** Absent for session-wide events. */
  3: optional i64 streamId,
  /** Client monotonic time of the event. */
  4: optional i64 timestampNs,
  5: optional PlaybackState state,
  6: optional i64 positionNs,
  7: optional i64 durationNs,
  8: optional ErrorInfo error,
  9: optional Credit credit,
  10: optional QosReport qos,
  11: optional bool visible
}

struct EventBatch {
  /** Events with seq > the asked afterSeq, oldest first (possibly empty after a timeout). */
  1: required list<Event> events,
  /** The newest event seq in the client's log (poll again with this, or with the last one read). */
  2: required i64 lastSeq,
  /** The oldest seq still in the log. If it is greater than afterSeq + 1, events were lost (the
   *  guest polled too rarely): resynchronise stream state from the next events. */
  3: required i64 firstAvailableSeq
}

// ------------------------------------------------------------------------------------------------
// The service (implemented by the client, called by the guest)
// ------------------------------------------------------------------------------------------------

service OverlayService {
  /** First call on every connection. Negotiates the version, checks the token, announces the
   *  guest's displays; answers what the client can decode and its limits.
   *  Errors: VERSION_MISMATCH, AUTH_FAILED, INVALID_ARGUMENT. */
  HelloResponse hello(1: HelloRequest request) throws (1: OverlayError error),

  /** Joins this connection to the session that returned sessionToken, instead of hello; the
   *  connection then sees the same streams and events. The session ends when the connection that
   *  said hello closes; attached connections then get HELLO_REQUIRED.
   *  Errors: VERSION_MISMATCH, AUTH_FAILED (unknown or expired token). */
  void attach(1: string sessionToken, 2: ProtocolVersion version) throws (1: OverlayError error),

  /** The guest's display layout changed (resolution change, monitor added or removed): the full
   *  list, as in hello. Streams on a removed display are hidden until geometry moves them. */
  void updateDisplays(1: list<GuestDisplay> displays) throws (1: OverlayError error),

  /** Opens a stream. Errors: UNSUPPORTED_CODEC (the message names the caps; play locally),
   *  URI_NOT_ALLOWED, LIMIT_EXCEEDED, INVALID_ARGUMENT, UNKNOWN_DISPLAY. */
  CreateStreamResponse createStream(1: CreateStreamRequest request) throws (1: OverlayError error),

  /** Sends data. Blocks only as long as it takes to queue the chunk; never sends beyond the credit.
   *  Errors: UNKNOWN_STREAM, CREDIT_EXCEEDED, OUT_OF_SEQUENCE, LIMIT_EXCEEDED, INVALID_STATE,
   *  INVALID_ARGUMENT, STREAM_CLOSED. */
  PushResult pushData(1: DataChunk chunk) throws (1: OverlayError error),

  /** Replaces the stream's geometry. Returns false when the update was stale (seq not newer) and was
   *  dropped. Errors: UNKNOWN_STREAM, UNKNOWN_DISPLAY, INVALID_ARGUMENT, LIMIT_EXCEEDED. */
  bool setGeometry(1: i64 streamId, 2: Geometry geometry) throws (1: OverlayError error),

  /** Play, pause, seek, rate, volume, mute, close. The outcome arrives as events (STATE_CHANGED,
   *  SEEK_DONE, STREAM_CLOSED). Errors: UNKNOWN_STREAM, INVALID_ARGUMENT, INVALID_STATE. */
  void control(1: i64 streamId, 2: ControlCommand command) throws (1: OverlayError error),

  /** Long poll: returns as soon as there are events with seq > afterSeq, or after timeoutMs
   *  (capped at limits.maxPollTimeoutMs) with an empty list. At most maxEvents events (>= 1). */
  EventBatch pollEvents(1: i64 afterSeq, 2: i32 timeoutMs, 3: i32 maxEvents) throws (1: OverlayError error)
}
