package org.spiceoverlay.x11;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The libc calls an {@link XConnection}'s thread waits with: {@code poll} on the X connection's
 * socket and a wake-up pipe, so the thread sleeps until X sends an event or another thread hands
 * it work.
 *
 * <p>Threads: any.
 */
interface LibC extends Library {

    LibC C = Native.load("c", LibC.class);

    short POLLIN = 0x1;
    /** {@code struct pollfd}: int fd, short events, short revents. */
    int POLLFD_SIZE = 8;

    int pipe(int[] fds);

    int poll(Pointer fds, long count, int timeoutMillis);

    long read(int fd, byte[] buffer, long count);

    long write(int fd, byte[] buffer, long count);

    int close(int fd);
}
