package dev.intake.config;

import java.util.Map;
import java.util.Optional;

/** Typed access to environment variables; blank counts as unset. */
final class Env {
    private final Map<String, String> vars;

    Env(Map<String, String> vars) {
        this.vars = vars;
    }

    Optional<String> optional(String name) {
        String v = vars.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    String string(String name, String fallback) {
        return optional(name).orElse(fallback);
    }

    int intInRange(String name, int fallback, int min, int max) {
        return (int) longInRange(name, fallback, min, max);
    }

    long longInRange(String name, long fallback, long min, long max) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            long v = Long.parseLong(raw.get());
            if (v < min || v > max) {
                throw new AppConfig.ConfigException(name + " must be between " + min + " and " + max + ", got " + v);
            }
            return v;
        } catch (NumberFormatException ex) {
            throw new AppConfig.ConfigException(name + " must be an integer, got '" + raw.get() + "'");
        }
    }
}
