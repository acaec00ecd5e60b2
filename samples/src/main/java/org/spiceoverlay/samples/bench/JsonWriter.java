package org.spiceoverlay.samples.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.Locale;

/**
 * Writes one JSON document by hand, indented two spaces, for the command line's {@code --json}
 * reports (no JSON library is a dependency of the project). Calls mirror the document:
 * {@code beginObject().name("frames").value(300).endObject()}; a misplaced call (a value where a
 * name is due, an unclosed object at {@link #toString()}) throws {@link IllegalStateException}.
 * Non-finite doubles are written as {@code null}, since JSON has no NaN or infinity.
 *
 * <p>Not thread-safe: one thread builds a document.
 */
public final class JsonWriter {

    private enum Scope {
        OBJECT,
        ARRAY
    }

    private final StringBuilder out = new StringBuilder();
    private final Deque<Scope> scopes = new ArrayDeque<>();
    /** Whether the current object or array already holds an element (a comma is due before the next). */
    private final Deque<Boolean> hasElement = new ArrayDeque<>();

    private boolean nameWritten;
    private boolean rootWritten;

    public JsonWriter beginObject() {
        beforeValue();
        out.append('{');
        scopes.push(Scope.OBJECT);
        hasElement.push(false);
        return this;
    }

    public JsonWriter endObject() {
        return end(Scope.OBJECT, '}');
    }

    public JsonWriter beginArray() {
        beforeValue();
        out.append('[');
        scopes.push(Scope.ARRAY);
        hasElement.push(false);
        return this;
    }

    public JsonWriter endArray() {
        return end(Scope.ARRAY, ']');
    }

    /** The next member's name; only inside an object, and followed by exactly one value. */
    public JsonWriter name(String name) {
        if (scopes.peek() != Scope.OBJECT || nameWritten) {
            throw new IllegalStateException("name \"" + name + "\" outside an object or right after another name");
        }
        separate();
        quote(name);
        out.append(": ");
        nameWritten = true;
        return this;
    }

    public JsonWriter value(String v) {
        beforeValue();
        if (v == null) {
            out.append("null");
        } else {
            quote(v);
        }
        return this;
    }

    public JsonWriter value(long v) {
        beforeValue();
        out.append(v);
        return this;
    }

    /** A number with at most {@code decimals} digits after the point; NaN and infinities as null. */
    public JsonWriter value(double v, int decimals) {
        beforeValue();
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            out.append("null");
        } else {
            String s = String.format(Locale.ROOT, "%." + decimals + "f", v);
            if (s.indexOf('.') >= 0) {
                // 12.500 -> 12.5, 3.000 -> 3: shorter, and the same number.
                s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
            }
            out.append(s.equals("-0") ? "0" : s);
        }
        return this;
    }

    public JsonWriter value(boolean v) {
        beforeValue();
        out.append(v);
        return this;
    }

    public JsonWriter nullValue() {
        beforeValue();
        out.append("null");
        return this;
    }

    /** An array of numbers. */
    JsonWriter values(Collection<? extends Number> numbers) {
        beginArray();
        for (Number n : numbers) {
            value(n.longValue());
        }
        return endArray();
    }

    /** Writes the finished document to {@code file} (UTF-8, trailing newline), creating parent directories. */
    public void writeTo(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, toString() + "\n", StandardCharsets.UTF_8);
    }

    /**
     * The document.
     *
     * @throws IllegalStateException if an object or array is still open, or nothing was written
     */
    @Override
    public String toString() {
        if (!scopes.isEmpty() || !rootWritten) {
            throw new IllegalStateException("JSON document incomplete: " + scopes.size() + " scope(s) still open");
        }
        return out.toString();
    }

    private JsonWriter end(Scope scope, char close) {
        if (scopes.peek() != scope || nameWritten) {
            throw new IllegalStateException("cannot close " + scope + " here (open: " + scopes.peek()
                    + (nameWritten ? ", a name waits for its value" : "") + ")");
        }
        scopes.pop();
        boolean any = hasElement.pop();
        if (any) {
            newline();
        }
        out.append(close);
        return this;
    }

    private void beforeValue() {
        if (scopes.isEmpty()) {
            if (rootWritten) {
                throw new IllegalStateException("a JSON document has one root value");
            }
            rootWritten = true;
            return;
        }
        if (scopes.peek() == Scope.OBJECT) {
            if (!nameWritten) {
                throw new IllegalStateException("a value inside an object needs a name first");
            }
            nameWritten = false;
        } else {
            separate();
        }
    }

    /** Comma and line break before an element of the current scope. */
    private void separate() {
        if (hasElement.peek()) {
            out.append(',');
        }
        hasElement.pop();
        hasElement.push(true);
        newline();
    }

    private void newline() {
        out.append('\n');
        out.append("  ".repeat(scopes.size()));
    }

    private void quote(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
