package org.spiceoverlay.samples.cli;

import java.util.concurrent.Callable;
import org.spiceoverlay.api.HelloHandshake;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code overlay version}: the software and protocol versions, for bug reports. Main thread. */
@Command(name = "version", description = "Print the spice-overlay version and the protocol version it speaks.")
public final class VersionCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        out.println("spice-overlay " + OverlayCommand.projectVersion());
        out.println("protocol " + HelloHandshake.format(HelloHandshake.currentVersion()));
        out.println("java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
        out.flush();
        return 0;
    }
}
