package dev.intake.bench.engine;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One HTTP request that the API sent to ClickHouse while serving a scenario, exactly as sent: the path with its
 * URL parameters (database, settings, any {@code param_*}), the headers that matter and the body (the SQL with the
 * values the driver bound). Replaying it sends the same statement with the same parameters.
 */
public record Statement(String scenario, String pathAndQuery, Map<String, String> headers, String body) {
    private static final Pattern LOG_COMMENT = Pattern.compile("log_comment\\s*=\\s*'([^']*)'");
    /** The same setting sent as a URL parameter, as the driver does for statements whose SQL has no SETTINGS. */
    private static final Pattern LOG_COMMENT_PARAM = Pattern.compile("[?&]log_comment=([^&]*)");

    /**
     * A connection check rather than part of the request: the pool's validation query or the readiness probe
     * ({@code SELECT 1}, comments aside). They show up in a capture because its requests are seconds apart (the
     * pool re-validates connections idle for more than 500 ms); under load they are skipped.
     */
    @JsonIgnore
    public boolean isConnectionCheck() {
        String sql = body.replaceAll("(?m)--.*$", "").strip();
        return sql.equalsIgnoreCase("SELECT 1");
    }

    /** The statement's resource name from its {@code log_comment} setting, or "?" when it has none. */
    public String name() {
        Matcher m = LOG_COMMENT.matcher(body + " " + pathAndQuery);
        if (m.find()) {
            return m.group(1);
        }
        Matcher param = LOG_COMMENT_PARAM.matcher(pathAndQuery);
        return param.find() ? java.net.URLDecoder.decode(param.group(1), java.nio.charset.StandardCharsets.UTF_8)
                : "?";
    }
}
