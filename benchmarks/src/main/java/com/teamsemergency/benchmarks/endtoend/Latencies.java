package com.teamsemergency.benchmarks.endtoend;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Percentiles of write-to-alert times, in milliseconds, nearest-rank. */
record Latencies(int count, double p50, double p95, double p99, double max) {

    static Latencies of(Collection<Double> millis) {
        List<Double> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        if (sorted.isEmpty()) {
            return new Latencies(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        return new Latencies(sorted.size(), rank(sorted, 0.50), rank(sorted, 0.95), rank(sorted, 0.99),
                sorted.get(sorted.size() - 1));
    }

    private static double rank(List<Double> sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms (n=%d)", p50, p95, p99,
                max, count);
    }
}
