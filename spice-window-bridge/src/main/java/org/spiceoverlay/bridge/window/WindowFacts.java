package org.spiceoverlay.bridge.window;

/**
 * What identifies a top-level client window: its X id, {@code WM_CLASS} (instance and class),
 * title ({@code _NET_WM_NAME}, else {@code WM_NAME}) and the process that owns it
 * ({@code _NET_WM_PID}).
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param windowId the X window id
 * @param instance the {@code WM_CLASS} instance name ("" when unset)
 * @param className the {@code WM_CLASS} class name ("" when unset)
 * @param title the title ("" when unset)
 * @param pid the owning process id, or 0 when the window does not say
 */
public record WindowFacts(long windowId, String instance, String className, String title, long pid) {

    public WindowFacts {
        instance = instance == null ? "" : instance;
        className = className == null ? "" : className;
        title = title == null ? "" : title;
    }

    @Override
    public String toString() {
        return String.format("0x%x \"%s\" (%s, %s) pid %d", windowId, title, instance, className, pid);
    }
}
