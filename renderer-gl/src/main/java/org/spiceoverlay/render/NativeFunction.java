package org.spiceoverlay.render;

import static org.lwjgl.system.MemoryUtil.NULL;
import static org.lwjgl.system.MemoryUtil.memAddress;

import java.nio.ByteBuffer;
import java.util.Objects;
import org.lwjgl.PointerBuffer;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.system.MemoryUtil;
import org.lwjgl.system.SharedLibrary;
import org.lwjgl.system.libffi.FFICIF;
import org.lwjgl.system.libffi.FFIType;
import org.lwjgl.system.libffi.LibFFI;

/**
 * One C function called through LWJGL's libffi, with its signature prepared once. For the few Xlib
 * and libXext calls the overlay window needs that neither GLFW nor LWJGL bind (JNA stays out of
 * this module). Arguments and results are passed as {@code long}s: pointers and X IDs as they are,
 * {@code int}s truncated/widened.
 *
 * <p>Threads: any thread may call it (it keeps no per-call state); the X functions it wraps are
 * called only on the render thread, which owns GLFW's X connection.
 */
final class NativeFunction implements AutoCloseable {

    /** The C types used: pointers and XIDs (64-bit), {@code int}, and no result. */
    enum Type {
        POINTER,
        INT,
        VOID;

        FFIType ffi() {
            return switch (this) {
                case POINTER -> LibFFI.ffi_type_pointer;
                case INT -> LibFFI.ffi_type_sint32;
                case VOID -> LibFFI.ffi_type_void;
            };
        }
    }

    private final String name;
    private final long address;
    private final Type result;
    private final Type[] arguments;
    private final FFICIF cif;
    private final PointerBuffer argumentTypes;
    private boolean closed;

    private NativeFunction(String name, long address, Type result, Type[] arguments) {
        this.name = name;
        this.address = address;
        this.result = result;
        this.arguments = arguments.clone();
        cif = FFICIF.calloc();
        argumentTypes = MemoryUtil.memAllocPointer(Math.max(1, arguments.length));
        for (int i = 0; i < arguments.length; i++) {
            argumentTypes.put(i, arguments[i].ffi());
        }
        argumentTypes.limit(arguments.length);
        int status = LibFFI.ffi_prep_cif(cif, LibFFI.FFI_DEFAULT_ABI, result.ffi(), argumentTypes);
        if (status != LibFFI.FFI_OK) {
            close();
            throw new RenderException("libffi could not prepare a call to " + name + " (status " + status + ")");
        }
    }

    /**
     * The function {@code name} of {@code library}.
     *
     * @throws RenderException when the library has no such function
     */
    static NativeFunction of(SharedLibrary library, String name, Type result, Type... arguments) {
        Objects.requireNonNull(library, "library");
        long address = library.getFunctionAddress(name);
        if (address == NULL) {
            throw new RenderException(library.getName() + " has no function " + name);
        }
        for (Type t : arguments) {
            if (t == Type.VOID) {
                throw new IllegalArgumentException("an argument cannot be void");
            }
        }
        return new NativeFunction(name, address, result, arguments);
    }

    /** Calls it; returns the result (0 for void). */
    long call(long... values) {
        if (values.length != arguments.length) {
            throw new IllegalArgumentException(
                    name + " takes " + arguments.length + " arguments, got " + values.length);
        }
        if (closed) {
            throw new IllegalStateException(name + " was closed");
        }
        try (MemoryStack stack = MemoryStack.stackPush()) {
            PointerBuffer pointers = stack.mallocPointer(Math.max(1, values.length));
            for (int i = 0; i < values.length; i++) {
                long storage = arguments[i] == Type.INT
                        ? memAddress(stack.ints((int) values[i]))
                        : memAddress(stack.longs(values[i]));
                pointers.put(i, storage);
            }
            // libffi widens integral results to a full register: room for 8 bytes whatever the type.
            ByteBuffer returned = stack.calloc(8, 8);
            LibFFI.ffi_call(cif, address, returned, pointers);
            return switch (result) {
                case INT -> returned.getInt(0);
                case POINTER -> returned.getLong(0);
                case VOID -> 0;
            };
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        cif.free();
        MemoryUtil.memFree(argumentTypes);
    }

    @Override
    public String toString() {
        return "NativeFunction[" + name + "]";
    }
}
