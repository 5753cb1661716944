package dev.intake.web;

import java.util.List;

/**
 * Rules of a request body that its JSON schema cannot express (ATIF's step numbering, say), checked together with
 * the schema so that one 422 lists every problem of the body.
 */
@FunctionalInterface
public interface BodyRules {
    /** The offending fields of {@code body}, with JSON paths; empty when the body keeps the rules. */
    List<ApiProblemException.FieldError> check(Object body);
}
