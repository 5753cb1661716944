package dev.intake.web;

import java.util.List;
import java.util.Optional;

/**
 * A client-visible problem raised below the resources (not found, conflict, invalid input). The one mapper in this
 * package turns it into the spec's problem-details body; feature code never builds HTTP responses itself.
 */
public final class ApiProblemException extends RuntimeException {
    private final int status;
    private final List<FieldError> errors;
    private final String challenge;

    private ApiProblemException(int status, String detail, List<FieldError> errors) {
        this(status, detail, errors, null);
    }

    private ApiProblemException(int status, String detail, List<FieldError> errors, String challenge) {
        super(detail);
        this.status = status;
        this.errors = List.copyOf(errors);
        this.challenge = challenge;
    }

    /** One offending input field: a JSON path such as {@code $.steps[1].step_id}, or a parameter name. */
    public record FieldError(String field, String message) {
    }

    public static ApiProblemException badRequest(String detail, List<FieldError> errors) {
        return new ApiProblemException(400, detail, errors);
    }

    /** 401; {@code challenge} is the {@code WWW-Authenticate} value, e.g. {@code Bearer realm="intake"}. */
    public static ApiProblemException unauthorized(String detail, String challenge) {
        return new ApiProblemException(401, detail, List.of(), challenge);
    }

    public static ApiProblemException forbidden(String detail) {
        return new ApiProblemException(403, detail, List.of());
    }

    public static ApiProblemException notFound(String detail) {
        return new ApiProblemException(404, detail, List.of());
    }

    public static ApiProblemException conflict(String detail) {
        return new ApiProblemException(409, detail, List.of());
    }

    public static ApiProblemException payloadTooLarge(String detail) {
        return new ApiProblemException(413, detail, List.of());
    }

    /** 415: the body is not sent as a media type the operation reads. */
    public static ApiProblemException unsupportedMediaType(String detail) {
        return new ApiProblemException(415, detail, List.of());
    }

    public static ApiProblemException unprocessable(String detail, List<FieldError> errors) {
        return new ApiProblemException(422, detail, errors);
    }

    /** 503 for a dependency other than the store (e.g. the token issuer's key set); safe to retry. */
    public static ApiProblemException unavailable(String detail) {
        return new ApiProblemException(503, detail, List.of());
    }

    public int status() {
        return status;
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** The {@code WWW-Authenticate} challenge to send with a 401. */
    public Optional<String> challenge() {
        return Optional.ofNullable(challenge);
    }
}
