package dev.intake.web;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Requests Jetty refuses before they reach the application (an encoded slash in the path, a malformed request
 * line, headers too large, a request arriving while the server drains) still get the one problem-details shape
 * instead of Jetty's HTML page.
 */
public final class JettyProblemErrors extends ErrorHandler {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus() >= 400 ? response.getStatus() : 500;
        Object message = request.getAttribute(ERROR_MESSAGE);
        String detail = message != null ? message.toString() : HttpStatus.getMessage(status);
        String requestId = UUID.randomUUID().toString();
        String code = switch (status) {
            case 404 -> "route_not_found";
            case 413 -> "body_too_large";
            case 503 -> "shutting_down";
            default -> status >= 500 ? "internal_error" : "request_rejected";
        };
        String body = "{\"type\":\"about:blank\",\"code\":\"" + code + "\",\"title\":" + quote(HttpStatus.getMessage(status))
                + ",\"status\":" + status
                + ",\"detail\":" + quote(detail) + ",\"instance\":" + quote(request.getHttpURI().getPath())
                + ",\"request_id\":" + quote(requestId) + ",\"errors\":[]}";
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/problem+json");
        response.getHeaders().put(RequestIds.HEADER, requestId);
        if (closesTheConnection(status)) {
            // Jetty closes the connection after these (the rest of the request is never read); without saying so,
            // a client would pool the connection and lose its next request on it (a POST is not retried)
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        if (status == HttpStatus.SERVICE_UNAVAILABLE_503) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1"); // e.g. a request arriving while the server drains
        }
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }

    /** A request Jetty could not read whole: a malformed one, a body over the limit, a request line or fields too large. */
    private static boolean closesTheConnection(int status) {
        return status == HttpStatus.BAD_REQUEST_400 || status == HttpStatus.PAYLOAD_TOO_LARGE_413
                || status == HttpStatus.URI_TOO_LONG_414 || status == HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431;
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : (s == null ? "" : s).toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
