package io.aetherflow.launcher.testapp;

import io.aetherflow.launch.Application;
import io.aetherflow.launch.EngineCommand;
import io.aetherflow.launch.LaunchInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An engine stand-in that runs inside the framework (packaged into a bundle by the tests). It takes
 * {@code run --flow-yaml WHAT[:ARG]} (the launcher parses the command line; this engine reads the flow
 * file name as an instruction): {@code exit:N} returns N; {@code info:FILE} writes what the launcher
 * passed and returns 0; {@code wait:FILE} touches FILE and waits for {@link #interrupt}, then returns
 * 130; {@code throw} throws.
 */
public final class TestApplication implements Application {

    private final CountDownLatch interrupted = new CountDownLatch(1);
    private volatile String signal;

    @Override
    public int run(EngineCommand command, LaunchInfo info) {
        List<String> args = List.of(((EngineCommand.Run) command).flowYaml().split(":", 2));
        try {
            switch (args.get(0)) {
                case "exit":
                    return Integer.parseInt(args.get(1));
                case "info":
                    Files.writeString(Path.of(args.get(1)), String.join("\n", info.home().toString(), info.version(),
                            info.lockFile().toString(), info.pluginSetHash(), String.valueOf(info.bundles().size()),
                            info.bundles().get(0).symbolicName(), String.valueOf(info.startNanos() > 0),
                            String.valueOf(info.trustMode()), info.trust().get(0).symbolicName() + " "
                                    + info.trust().get(0).status(), String.valueOf(info.cacheDir())));
                    return 0;
                case "wait":
                    Files.writeString(Path.of(args.get(1)), "started");
                    return interrupted.await(30, TimeUnit.SECONDS) ? 130 + ("TERM".equals(signal) ? 0 : 1000) : 99;
                case "throw":
                    throw new IllegalStateException("boom");
                default:
                    return 2;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 98;
        }
    }

    @Override
    public void interrupt(String signal) {
        this.signal = signal;
        interrupted.countDown();
    }
}
