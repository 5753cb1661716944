package dev.intake.web;

import dev.intake.api.model.PaginationData;

/** Offset pagination arithmetic shared by every list. */
public final class Pages {
    private Pages() {
    }

    public static long offset(int page, int pageSize) {
        return (long) (page - 1) * pageSize;
    }

    public static PaginationData pagination(int page, int pageSize, int currentPageSize, long totalResults) {
        int totalPages = (int) Math.min(Integer.MAX_VALUE, (totalResults + pageSize - 1) / pageSize);
        return new PaginationData(page, pageSize, currentPageSize, totalPages, totalResults);
    }
}
