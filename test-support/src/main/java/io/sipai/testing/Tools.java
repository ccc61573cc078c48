package io.sipai.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;

/**
 * Programs a test needs from the machine (flite, kubectl, shellcheck, promtool): a check runs only where its program
 * is installed; without it the check fails when {@code SIPAI_REQUIRE_TOOLS=true} (set by {@code .ci/run}, which
 * installs every program, so CI never skips a check) and is skipped with the reason otherwise (a developer's
 * machine).
 */
public final class Tools {

    private Tools() {
    }

    /** Fails (in CI) or skips (elsewhere) the calling test unless {@code tool} is on the PATH. */
    public static void require(String tool, String why) {
        if (onPath(tool)) {
            return;
        }
        if ("true".equals(System.getenv("SIPAI_REQUIRE_TOOLS"))) {
            throw new AssertionError(tool + " is not installed, and SIPAI_REQUIRE_TOOLS=true: " + why);
        }
        Assumptions.abort(why);
    }

    /** Whether an executable {@code tool} is in a directory of the PATH. */
    public static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
