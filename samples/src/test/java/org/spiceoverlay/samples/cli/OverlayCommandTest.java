package org.spiceoverlay.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.spiceoverlay.samples.bench.OverlayJava;
import picocli.CommandLine;

class OverlayCommandTest {

    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = OverlayCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void processesAreStartedWithThisMainClass() {
        assertEquals(OverlayCommand.class.getName(), OverlayJava.MAIN, "the main class the benchmarks start");
        List<String> command = OverlayJava.command(List.of("-Xmx64m"), List.of("version"));
        assertEquals(OverlayCommand.class.getName(), command.get(command.size() - 2));
        assertEquals("version", command.get(command.size() - 1));
        assertEquals(
                List.of("-XX:TieredStopAtLevel=1", "-Xmx64m"),
                command.subList(1, 3),
                "the project's JVM options, then the caller's (which can override them)");
    }

    @Test
    void helpListsSubcommandsAndLauncherCommands() {
        Run r = run("--help");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("version"), r.out());
        assertTrue(r.out().contains("setup"), r.out());
        assertTrue(r.out().contains("mvn -B verify"), r.out());
    }

    @Test
    void versionPrintsTheProtocolVersion() {
        Run r = run("version");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("protocol 1.0"), r.out());
    }

    @Test
    void unknownCommandIsAUsageError() {
        Run r = run("frobnicate");
        assertEquals(CommandLine.ExitCode.USAGE, r.exit());
        assertTrue(r.err().contains("frobnicate"), r.err());
    }

    @Test
    void noCommandPrintsUsage() {
        Run r = run();
        assertEquals(CommandLine.ExitCode.USAGE, r.exit());
        assertTrue(r.err().contains("missing command"), r.err());
    }
}
