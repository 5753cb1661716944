package dev.intake.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * One SQL statement loaded from a {@code .sql} resource next to the feature that owns it. Named placeholders
 * ({@code :workspace}) are translated once, at load time, into the driver's {@code ?} markers, which the driver
 * escapes; our code never splices a value into SQL text.
 */
public final class Sql {
    /** A marker comment such as {@code /*SESSION_FILTER*}{@code /}: upper-case letters and underscores only. */
    private static final Pattern UNREPLACED_MARKER = Pattern.compile("/\\*[A-Z_]+\\*/");
    /** Resource texts by path: templates are composed per request, read once. */
    private static final Map<String, String> TEXTS = new ConcurrentHashMap<>();
    private final String name;
    private final String jdbcSql;
    private final String wireSql;
    private final List<String> parameterNames;

    private Sql(String name, String jdbcSql, List<String> parameterNames) {
        this.name = name;
        this.jdbcSql = jdbcSql;
        this.wireSql = withoutCommentLines(jdbcSql);
        this.parameterNames = List.copyOf(parameterNames);
    }

    /**
     * The text without its whole-line comments and blank lines: what is sent. The JDBC driver parses every
     * statement it prepares, in time that grows with the text (measured: about 3 ms for the 4.3 KB session page
     * with its comments, under 2 ms without them), and the comments are for readers of the {@code .sql} files.
     */
    private static String withoutCommentLines(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (String line : text.split("\n", -1)) {
            String stripped = line.strip();
            if (!stripped.isEmpty() && !stripped.startsWith("--")) {
                out.append(line).append('\n');
            }
        }
        return out.toString().strip();
    }

    /**
     * Loads {@code <owner's package>/<file>} from the classpath; a missing file fails start-up.
     *
     * @param owner class whose package holds the file
     * @param file  file name, e.g. {@code page.sql}
     */
    public static Sql load(Class<?> owner, String file) {
        return parse(shortName(owner, file), text(owner, file));
    }

    /**
     * Loads a statement template and replaces each marker comment (such as {@code /*SESSION_FILTER*}{@code /}) with
     * its fragment before placeholders are translated, so fragments may hold placeholders too. Fragments are SQL
     * text from our own resources ({@link #fragment}) or from whitelists in code, never input. A marker the
     * template does not hold is skipped (a template uses the parts it needs); a marker left unreplaced fails.
     */
    public static Sql compose(Class<?> owner, String file, Map<String, String> fragments) {
        String text = text(owner, file);
        for (Map.Entry<String, String> f : fragments.entrySet()) {
            text = text.replace(f.getKey(), f.getValue());
        }
        if (UNREPLACED_MARKER.matcher(text).find()) {
            throw new IllegalStateException(path(owner, file) + " has a marker no fragment replaced");
        }
        return parse(shortName(owner, file), text);
    }

    /**
     * The named fragments of a resource (parts of statements, for {@link #compose}): each starts at a line
     * {@code -- name: <name>} and runs to the next one; other whole-line comments are dropped.
     */
    public static Map<String, String> fragments(Class<?> owner, String file) {
        Map<String, String> out = new LinkedHashMap<>();
        String name = null;
        StringBuilder body = new StringBuilder();
        for (String line : (text(owner, file) + "\n-- name: ").lines().toList()) {
            String stripped = line.strip();
            if (stripped.startsWith("-- name:")) {
                if (name != null) {
                    out.put(name, body.toString().strip());
                }
                name = stripped.substring("-- name:".length()).strip();
                body.setLength(0);
            } else if (!stripped.startsWith("--")) {
                body.append(line).append('\n');
            }
        }
        return out;
    }

    private static String path(Class<?> owner, String file) {
        return owner.getPackageName().replace('.', '/') + "/" + file;
    }

    private static String text(Class<?> owner, String file) {
        return TEXTS.computeIfAbsent(path(owner, file), path -> read(owner, path));
    }

    private static String read(Class<?> owner, String path) {
        try (InputStream in = owner.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("SQL resource not found: " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read SQL resource " + path, e);
        }
    }

    /**
     * The statement's name: its path below the application's root package, e.g. {@code sessions/page.sql} for
     * {@code dev/intake/sessions/page.sql}. It is the statement's {@code log_comment} and metrics label.
     */
    private static String shortName(Class<?> owner, String file) {
        String root = Sql.class.getPackageName().substring(0, Sql.class.getPackageName().lastIndexOf('.') + 1);
        String pkg = owner.getPackageName();
        return (pkg.startsWith(root) ? pkg.substring(root.length()) : pkg).replace('.', '/') + "/" + file;
    }

    /** Parses SQL text with {@code :name} placeholders; quoted strings and comments are left alone. */
    static Sql parse(String name, String text) {
        StringBuilder out = new StringBuilder(text.length());
        List<String> names = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\'' || c == '`' || c == '"') {
                int end = endOfQuoted(text, i, c);
                out.append(text, i, end);
                i = end;
            } else if (c == '-' && text.startsWith("--", i)) {
                int end = text.indexOf('\n', i);
                end = end < 0 ? text.length() : end;
                out.append(text, i, end);
                i = end;
            } else if (c == ':' && i + 1 < text.length() && isNameStart(text.charAt(i + 1))
                    && (i == 0 || text.charAt(i - 1) != ':')) {
                int end = i + 1;
                while (end < text.length() && isNamePart(text.charAt(end))) {
                    end++;
                }
                names.add(text.substring(i + 1, end));
                out.append('?');
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return new Sql(name, out.toString().strip(), names);
    }

    private static int endOfQuoted(String text, int start, char quote) {
        int i = start + 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == quote) {
                return i + 1;
            } else {
                i++;
            }
        }
        return text.length();
    }

    private static boolean isNameStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    private static boolean isNamePart(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    /**
     * The same statement with a marker comment (such as {@code /*ORDER BY*}{@code /}) replaced by a fixed fragment
     * chosen from a whitelist in code; never pass input here.
     */
    public Sql withFragment(String marker, String fragment) {
        if (!jdbcSql.contains(marker)) {
            throw new IllegalStateException(name + " has no marker " + marker);
        }
        return new Sql(name, jdbcSql.replace(marker, fragment), parameterNames);
    }

    /** The same statement (name and parameters) with its text rewritten, e.g. for a cluster (see Topology). */
    Sql withText(String text) {
        return new Sql(name, text, parameterNames);
    }

    /** Name of the statement (see {@link #load}), used in logs, error messages, metrics and {@code log_comment}. */
    public String name() {
        return name;
    }

    /** The text as written (with its comments): what a migration's checksum is taken of. */
    String jdbcSql() {
        return jdbcSql;
    }

    /** The text sent to ClickHouse: {@link #jdbcSql()} without whole-line comments. */
    String wireSql() {
        return wireSql;
    }

    List<String> parameterNames() {
        return parameterNames;
    }
}
