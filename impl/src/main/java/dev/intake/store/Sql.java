package dev.intake.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One SQL statement loaded from a {@code .sql} resource next to the feature that owns it. Named placeholders
 * ({@code :workspace}) are translated once, at load time, into the driver's {@code ?} markers, which the driver
 * escapes; our code never splices a value into SQL text.
 */
public final class Sql {
    private static final Pattern INCLUDE = Pattern.compile("/\\*include ([A-Za-z0-9_.-]+\\.sql)\\*/");
    private final String name;
    private final String jdbcSql;
    private final List<String> parameterNames;

    private Sql(String name, String jdbcSql, List<String> parameterNames) {
        this.name = name;
        this.jdbcSql = jdbcSql;
        this.parameterNames = List.copyOf(parameterNames);
    }

    /**
     * Loads {@code <owner's package>/<file>} from the classpath; a missing file fails start-up. A marker
     * {@code /*include other.sql*}{@code /} is replaced by the text of that file of the same package (before
     * placeholders are read), so statements share a fragment, such as their filter predicates, instead of copying it.
     *
     * @param owner class whose package holds the file
     * @param file  file name, e.g. {@code page.sql}
     */
    public static Sql load(Class<?> owner, String file) {
        String path = owner.getPackageName().replace('.', '/') + "/" + file;
        return parse(path, includeFragments(owner, path, read(owner, path)));
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

    private static String includeFragments(Class<?> owner, String path, String text) {
        Matcher m = INCLUDE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String fragment = owner.getPackageName().replace('.', '/') + "/" + m.group(1);
            if (fragment.equals(path)) {
                throw new IllegalStateException(path + " includes itself");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(read(owner, fragment).strip()));
        }
        m.appendTail(out);
        return out.toString();
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

    /** Resource path of the statement, used in logs and error messages. */
    public String name() {
        return name;
    }

    String jdbcSql() {
        return jdbcSql;
    }

    List<String> parameterNames() {
        return parameterNames;
    }
}
