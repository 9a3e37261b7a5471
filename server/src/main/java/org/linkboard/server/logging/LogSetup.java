package org.linkboard.server.logging;

import io.vertx.core.json.JsonObject;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Console logging for the process: one readable line per record by default, or one JSON object
 * per line with {@code --log-format json}. Everything (Vert.x, Netty, PF4J through SLF4J) goes
 * through java.util.logging, so this is the only place that decides the format.
 */
public final class LogSetup {

    private LogSetup() {
    }

    public static void configure(String format) {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        Handler handler = new ConsoleHandler();
        handler.setLevel(Level.ALL);
        handler.setFormatter("json".equals(format) ? new JsonFormatter() : new TextFormatter());
        root.addHandler(handler);
        root.setLevel(Level.INFO);
        Logger.getLogger("io.netty").setLevel(Level.WARNING);
    }

    static final class TextFormatter extends Formatter {
        @Override
        public String format(LogRecord r) {
            StringBuilder sb = new StringBuilder(128);
            sb.append(Instant.ofEpochMilli(r.getMillis())).append(' ').append(r.getLevel().getName()).append(' ')
                    .append(shortName(r.getLoggerName())).append(": ").append(formatMessage(r)).append(System.lineSeparator());
            if (r.getThrown() != null) sb.append(stack(r.getThrown()));
            return sb.toString();
        }
    }

    static final class JsonFormatter extends Formatter {
        @Override
        public String format(LogRecord r) {
            JsonObject o = new JsonObject().put("time", Instant.ofEpochMilli(r.getMillis()).toString())
                    .put("level", r.getLevel().getName()).put("logger", r.getLoggerName()).put("message", formatMessage(r));
            if (r.getThrown() != null) o.put("error", stack(r.getThrown()));
            return o.encode() + System.lineSeparator();
        }
    }

    private static String shortName(String name) {
        if (name == null) return "";
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(dot + 1);
    }

    private static String stack(Throwable t) {
        StringWriter sw = new StringWriter();
        t.printStackTrace(new PrintWriter(sw));
        return sw.toString();
    }
}
