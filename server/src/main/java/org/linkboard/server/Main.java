package org.linkboard.server;

import org.linkboard.server.config.CommandLine;
import org.linkboard.server.config.ServerOptions;
import org.linkboard.server.logging.LogSetup;
import org.linkboard.server.ops.OfflineCommands;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar linkboard.jar [flags]}: parses the command line, starts a
 * {@link LinkboardServer}, and on SIGTERM stops it gracefully and exits 0.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        // Sub-commands first: their flags (--to, --from) are not server flags.
        if (args.length > 0 && OfflineCommands.isCommand(args[0])) {
            System.exit(OfflineCommands.run(Arrays.asList(args), System.getenv(), System.out, System.err));
            return;
        }
        ServerOptions options;
        try {
            options = CommandLine.parse(Arrays.asList(args), System.getenv());
        } catch (CommandLine.UsageException e) {
            boolean help = Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h");
            (help ? System.out : System.err).println(help ? e.getMessage() : "linkboard: " + e.getMessage());
            System.exit(help ? 0 : 2);
            return;
        }
        LogSetup.configure(options.logFormat());
        LinkboardServer server = new LinkboardServer(options);
        try {
            server.start().await(120, TimeUnit.SECONDS);
        } catch (Throwable e) {
            System.err.println("linkboard: could not start: " + oneLine(e));
            server.stop();
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runnable shutdown = () -> {
            try {
                server.stop().await(30, TimeUnit.SECONDS);
            } catch (Throwable e) {
                System.err.println("linkboard: unclean stop: " + oneLine(e));
            } finally {
                stopped.countDown();
            }
        };
        if (!installSignalHandler(shutdown, stopped)) {
            Runtime.getRuntime().addShutdownHook(new Thread(shutdown, "linkboard-shutdown"));
        }
    }

    /** SIGTERM and SIGINT stop gracefully and exit 0 (a shutdown hook alone would exit 143). */
    private static boolean installSignalHandler(Runnable shutdown, CountDownLatch stopped) {
        try {
            sun.misc.SignalHandler handler = sig -> new Thread(() -> {
                shutdown.run();
                System.exit(0);
            }, "linkboard-shutdown").start();
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), handler);
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), handler);
            return true;
        } catch (Throwable e) {
            return false;
        }
    }

    static String oneLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String msg = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return msg.replace('\n', ' ');
    }
}
