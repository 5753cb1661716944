package dev.intake.web;

import java.util.List;

/**
 * A client-visible problem raised below the resources (not found, conflict, invalid input). The one mapper in this
 * package turns it into the spec's problem-details body; feature code never builds HTTP responses itself.
 */
public final class ApiProblemException extends RuntimeException {
    private final int status;
    private final List<FieldError> errors;

    private ApiProblemException(int status, String detail, List<FieldError> errors) {
        super(detail);
        this.status = status;
        this.errors = List.copyOf(errors);
    }

    /** One offending input field: a JSON path such as {@code $.steps[1].step_id}, or a parameter name. */
    public record FieldError(String field, String message) {
    }

    public static ApiProblemException badRequest(String detail, List<FieldError> errors) {
        return new ApiProblemException(400, detail, errors);
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

    public static ApiProblemException unprocessable(String detail, List<FieldError> errors) {
        return new ApiProblemException(422, detail, errors);
    }

    public int status() {
        return status;
    }

    public List<FieldError> errors() {
        return errors;
    }
}
