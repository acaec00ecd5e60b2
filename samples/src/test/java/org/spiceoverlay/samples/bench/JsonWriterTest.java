package org.spiceoverlay.samples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class JsonWriterTest {

    @Test
    void writesNestedValuesIndentedAndEscaped() {
        JsonWriter j = new JsonWriter();
        j.beginObject();
        j.name("s").value("a\"b\\c\n\u0001");
        j.name("n").value(300);
        j.name("d").value(12.5000, 3);
        j.name("nan").value(Double.NaN, 2);
        j.name("b").value(true);
        j.name("none").nullValue();
        j.name("list").values(List.of(1, 2));
        j.name("empty").beginArray().endArray();
        j.endObject();

        assertEquals(
                """
                {
                  "s": "a\\"b\\\\c\\n\\u0001",
                  "n": 300,
                  "d": 12.5,
                  "nan": null,
                  "b": true,
                  "none": null,
                  "list": [
                    1,
                    2
                  ],
                  "empty": []
                }""",
                j.toString());
    }

    @Test
    void misplacedCallsAreRefused() {
        assertThrows(
                IllegalStateException.class,
                () -> new JsonWriter().beginObject().value(1));
        assertThrows(
                IllegalStateException.class, () -> new JsonWriter().beginArray().name("x"));
        assertThrows(
                IllegalStateException.class,
                () -> new JsonWriter().beginObject().toString());
        assertThrows(
                IllegalStateException.class,
                () -> new JsonWriter().beginObject().endArray());
    }
}
