package dev.intake.bench.report;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Machine facts (cores, CPU, memory, OS, JDK), the engine's version and the corpus's size in the engine. */
public final class Facts {
    private Facts() {
    }

    public static Map<String, Object> collect(String engine) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("cores", Runtime.getRuntime().availableProcessors());
        f.put("cpu", firstLine(Path.of("/proc/cpuinfo"), "model name"));
        f.put("memory_gib", memoryGib());
        f.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        f.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        f.put("engine_version", query(engine, "SELECT version()"));
        f.put("engine_max_threads", query(engine, "SELECT value FROM system.settings WHERE name = 'max_threads'"));
        f.put("spans", query(engine, "SELECT count() FROM intake.spans FINAL WHERE is_deleted = 0"));
        f.put("evaluator_results", query(engine, "SELECT count() FROM intake.evaluator_results FINAL WHERE is_deleted = 0"));
        f.put("sessions", query(engine, "SELECT count() FROM intake.experiment_sessions FINAL WHERE is_deleted = 0"));
        f.put("sessions_by_experiment", query(engine, "SELECT arrayStringConcat(groupArray(concat(e, ' ', toString(n))), ', ') "
                + "FROM (SELECT experiment_name AS e, count() AS n FROM intake.experiment_sessions FINAL "
                + "WHERE is_deleted = 0 AND workspace = 'load-testing' AND experiment_name NOT LIKE 'wide-%' "
                + "GROUP BY e ORDER BY e)"));
        f.put("wide_experiments", query(engine, "SELECT count(DISTINCT experiment_name) FROM intake.experiment_sessions "
                + "FINAL WHERE is_deleted = 0 AND experiment_name LIKE 'wide-%'"));
        f.put("disk_bytes", query(engine, "SELECT sum(bytes_on_disk) FROM system.parts WHERE active AND database = 'intake'"));
        return f;
    }

    private static String query(String engine, String sql) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(engine
                    + "/?query=" + URLEncoder.encode(sql, StandardCharsets.UTF_8)))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body().trim() : "error " + r.statusCode();
        } catch (IOException e) {
            return "unreachable: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static String firstLine(Path file, String prefix) {
        try {
            return Files.readAllLines(file).stream().filter(l -> l.startsWith(prefix))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    private static String memoryGib() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return String.format("%.1f", os.getTotalMemorySize() / (1024.0 * 1024 * 1024));
        }
        return "?";
    }
}
