package com.teamsemergency.benchmarks.hotpath;

import java.io.PrintStream;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link HotPathBenchmarks} in one JMH run and prints each hot path's rate beside the bare RSA floor, as a ratio.
 * {@code --quick} trades precision for time.
 */
public final class HotPathRunner {

    private static final String FLOOR = "bareRsaOaepDecrypt";

    private HotPathRunner() {
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(HotPathBenchmarks.class.getName() + "\\.")
                .forks(1)
                .threads(1)
                .warmupIterations(quick ? 2 : 3)
                .warmupTime(TimeValue.seconds(quick ? 1 : 2))
                // Many short iterations: on a shared machine the best of them is the least disturbed one.
                .measurementIterations(quick ? 4 : 10)
                .measurementTime(TimeValue.seconds(1))
                // The forked JVM gets the heap the Streams application would have.
                .jvmArgsAppend("-Xmx256m");
        Collection<RunResult> results = new Runner(options.build()).run();
        print(results, System.out);
    }

    static void print(Collection<RunResult> results, PrintStream out) {
        Map<String, double[]> rates = new LinkedHashMap<>();
        for (RunResult result : results) {
            String label = result.getParams().getBenchmark();
            label = label.substring(label.lastIndexOf('.') + 1);
            double best = result.getBenchmarkResults().stream()
                    .flatMap(b -> b.getIterationResults().stream())
                    .mapToDouble(i -> i.getPrimaryResult().getScore()).max().orElse(Double.NaN);
            rates.put(label, new double[] {result.getPrimaryResult().getScore(),
                result.getPrimaryResult().getScoreError(), best});
        }
        double[] floor = rates.getOrDefault(FLOOR, new double[] {Double.NaN, Double.NaN, Double.NaN});
        out.println();
        out.printf(Locale.ROOT, "HOT PATHS (ops/s, one thread; ratio = ops/s of the path / ops/s of bare RSA-OAEP 2048;"
                + " best = the fastest 1 s iteration, the least disturbed on a shared machine) load %s%n",
                loadAverage());
        out.printf(Locale.ROOT, "%-22s %12s %12s %9s %12s %10s %10s%n", "benchmark", "mean ops/s", "+/- (99.9%)",
                "ratio", "best ops/s", "ratio", "us/op best");
        rates.forEach((name, rate) -> out.printf(Locale.ROOT, "%-22s %12.1f %12.1f %9.3f %12.1f %10.3f %10.2f%n",
                name, rate[0], rate[1], rate[0] / floor[0], rate[2], rate[2] / floor[2], 1e6 / rate[2]));
    }
}
