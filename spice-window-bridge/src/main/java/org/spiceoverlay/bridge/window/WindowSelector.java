package org.spiceoverlay.bridge.window;

/**
 * Which of the client's windows to follow: all of them (one per guest display), or those of one
 * process, with a title containing some text, or one window given by its X id (e.g. the
 * {@code --spice-window} option). A window id selects that window whatever its class.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param windowId an X window id, or 0 for any
 * @param pid a process id ({@code _NET_WM_PID}), or 0 for any
 * @param titleContains text the title must contain, or "" for any
 */
public record WindowSelector(long windowId, long pid, String titleContains) {

    public WindowSelector {
        if (windowId < 0) {
            throw new IllegalArgumentException("windowId must be >= 0, got " + windowId);
        }
        if (pid < 0) {
            throw new IllegalArgumentException("pid must be >= 0, got " + pid);
        }
        titleContains = titleContains == null ? "" : titleContains;
    }

    /** Every window of the client. */
    public static WindowSelector any() {
        return new WindowSelector(0, 0, "");
    }

    public static WindowSelector window(long windowId) {
        return new WindowSelector(windowId, 0, "");
    }

    public static WindowSelector pid(long pid) {
        return new WindowSelector(0, pid, "");
    }

    public static WindowSelector title(String titleContains) {
        return new WindowSelector(0, 0, titleContains);
    }

    /** Whether the tracker follows {@code window} under {@code profile}. */
    public boolean selects(WindowFacts window, ClientWindowProfile profile) {
        if (windowId != 0) {
            return window.windowId() == windowId;
        }
        return profile.matches(window)
                && (pid == 0 || window.pid() == pid)
                && window.title().contains(titleContains);
    }

    @Override
    public String toString() {
        if (windowId != 0) {
            return String.format("window 0x%x", windowId);
        }
        return "any window" + (pid != 0 ? " of pid " + pid : "")
                + (titleContains.isEmpty() ? "" : " titled *" + titleContains + "*");
    }
}
