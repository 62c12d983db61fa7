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

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(HotPathBenchmarks.class.getName() + "\\.")
                .forks(1)
                .threads(1)
                .warmupIterations(quick ? 2 : 3)
                .warmupTime(TimeValue.seconds(quick ? 1 : 2))
                .measurementIterations(quick ? 3 : 5)
                .measurementTime(TimeValue.seconds(quick ? 1 : 2))
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
            rates.put(label, new double[] {result.getPrimaryResult().getScore(),
                result.getPrimaryResult().getScoreError()});
        }
        double floor = rates.containsKey(FLOOR) ? rates.get(FLOOR)[0] : Double.NaN;
        out.println();
        out.println("HOT PATHS (ops/s, one thread; ratio = ops/s of the path / ops/s of bare RSA-OAEP 2048)");
        out.printf(Locale.ROOT, "%-22s %14s %12s %10s %12s%n", "benchmark", "ops/s", "+/- (99.9%)", "ratio", "us/op");
        rates.forEach((name, rate) -> out.printf(Locale.ROOT, "%-22s %14.1f %12.1f %10.3f %12.2f%n", name, rate[0],
                rate[1], rate[0] / floor, 1e6 / rate[0]));
    }
}
