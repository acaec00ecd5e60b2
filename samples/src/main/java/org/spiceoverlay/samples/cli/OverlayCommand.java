package org.spiceoverlay.samples.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.spiceoverlay.api.HelloHandshake;
import org.spiceoverlay.samples.bench.DecodeBenchCommand;
import org.spiceoverlay.samples.bench.RenderBenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code overlay} command line: one entry point, one subcommand per job. {@code setup} and
 * {@code test} are handled by the {@code ./overlay} launcher script itself (they must work before
 * anything is built) and only listed here.
 *
 * <p>Runs on the main thread.
 */
@Command(
        name = "overlay",
        mixinStandardHelpOptions = true,
        versionProvider = OverlayCommand.Version.class,
        description = "spice-overlay: video redirection for the Spice remote desktop client.",
        subcommands = {
            CommandLine.HelpCommand.class,
            VersionCommand.class,
            DemoCommand.class,
            VmCommand.class,
            ClientCommand.class,
            GuestProxyCommand.class,
            PlayCommand.class,
            ClipsCommand.class,
            DecodeCommand.class,
            DecodeBenchCommand.class,
            RenderBenchCommand.class,
            org.spiceoverlay.samples.bench.BenchPlayerCommand.class,
            org.spiceoverlay.samples.bench.BenchCommand.class
        },
        footer = {
            "",
            "Launcher commands (handled by ./overlay before anything is built):",
            "  setup    Install the Debian packages it needs (as root; silent when all are present).",
            "  test     setup, then build all modules and run all tests (mvn -B verify)."
        })
public final class OverlayCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        err.println("overlay: missing command");
        spec.commandLine().usage(err);
        return CommandLine.ExitCode.USAGE;
    }

    /** The project version from the jar manifest ("dev" when run from classes). */
    static String projectVersion() {
        String v = OverlayCommand.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                "spice-overlay " + projectVersion() + ", protocol "
                        + HelloHandshake.format(HelloHandshake.currentVersion())
            };
        }
    }

    public static CommandLine commandLine() {
        return new CommandLine(new OverlayCommand());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
