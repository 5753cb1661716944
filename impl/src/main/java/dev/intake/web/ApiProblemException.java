package dev.intake.web;

import dev.intake.api.model.ProblemCode;
import dev.intake.api.model.ProblemFieldLocation;
import java.util.List;
import java.util.Optional;

/**
 * A client-visible problem raised below the resources (not found, conflict, invalid input). The one mapper in this
 * package turns it into the spec's problem-details body; feature code never builds HTTP responses itself. Each
 * problem carries its machine-readable kind ({@code code} in the body), which clients branch on instead of the text.
 */
public final class ApiProblemException extends RuntimeException {
    private final int status;
    private final ProblemCode code;
    private final List<FieldError> errors;
    private final String challenge;

    private ApiProblemException(int status, ProblemCode code, String detail, List<FieldError> errors) {
        this(status, code, detail, errors, null);
    }

    private ApiProblemException(int status, ProblemCode code, String detail, List<FieldError> errors, String challenge) {
        super(detail);
        this.status = status;
        this.code = code;
        this.errors = List.copyOf(errors);
        this.challenge = challenge;
    }

    /**
     * One offending input: a JSON path into the body such as {@code $.steps[1].step_id}, or the name of a parameter,
     * and where it is ({@code in}).
     */
    public record FieldError(String field, String message, ProblemFieldLocation in) {
        /** A problem with a value of the body; {@code path} is a JSON path starting with {@code $}. */
        public FieldError(String path, String message) {
            this(path, message, ProblemFieldLocation.BODY);
            if (!path.startsWith("$")) {
                throw new IllegalArgumentException("a body field is a JSON path starting with $: " + path);
            }
        }
    }

    public static ApiProblemException badRequest(ProblemCode code, String detail, List<FieldError> errors) {
        return new ApiProblemException(400, code, detail, errors);
    }

    /** 401; {@code challenge} is the {@code WWW-Authenticate} value, e.g. {@code Bearer realm="intake"}. */
    public static ApiProblemException unauthorized(String detail, String challenge) {
        return new ApiProblemException(401, ProblemCode.UNAUTHENTICATED, detail, List.of(), challenge);
    }

    public static ApiProblemException forbidden(String detail) {
        return new ApiProblemException(403, ProblemCode.FORBIDDEN, detail, List.of());
    }

    public static ApiProblemException notFound(ProblemCode code, String detail) {
        return new ApiProblemException(404, code, detail, List.of());
    }

    /** 409; {@code errors} name the field(s) in conflict. */
    public static ApiProblemException conflict(ProblemCode code, String detail, List<FieldError> errors) {
        return new ApiProblemException(409, code, detail, errors);
    }

    public static ApiProblemException payloadTooLarge(String detail) {
        return new ApiProblemException(413, ProblemCode.BODY_TOO_LARGE, detail, List.of());
    }

    /** 415: the body is not sent as a media type the operation reads. */
    public static ApiProblemException unsupportedMediaType(String detail) {
        return new ApiProblemException(415, ProblemCode.UNSUPPORTED_MEDIA_TYPE, detail, List.of());
    }

    public static ApiProblemException unprocessable(String detail, List<FieldError> errors) {
        return unprocessable(ProblemCode.VALIDATION_FAILED, detail, errors);
    }

    /** 422 of another kind than a body that breaks its schema, e.g. a body naming an experiment that does not exist. */
    public static ApiProblemException unprocessable(ProblemCode code, String detail, List<FieldError> errors) {
        return new ApiProblemException(422, code, detail, errors);
    }

    /** 503 for the token issuer's key set (the store has its own exception); safe to retry. */
    public static ApiProblemException issuerUnavailable(String detail) {
        return new ApiProblemException(503, ProblemCode.ISSUER_UNAVAILABLE, detail, List.of());
    }

    public int status() {
        return status;
    }

    public ProblemCode code() {
        return code;
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** The {@code WWW-Authenticate} challenge to send with a 401. */
    public Optional<String> challenge() {
        return Optional.ofNullable(challenge);
    }
}
