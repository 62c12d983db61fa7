package com.teamsemergency.benchmarks.endtoend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the whole machine was doing meanwhile, from /proc: load average and how busy its CPUs were. */
final class MachineLoad {

    private final long busy;
    private final long total;

    private MachineLoad(long busy, long total) {
        this.busy = busy;
        this.total = total;
    }

    static MachineLoad now() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new MachineLoad(total - idle, total);
        } catch (IOException | RuntimeException e) {
            return new MachineLoad(0, 0);
        }
    }

    /** CPUs kept busy between {@code earlier} and this sample, out of all of them (2.0 = both cores of two). */
    double busyCoresSince(MachineLoad earlier) {
        long t = total - earlier.total;
        return t <= 0 ? Double.NaN : (double) (busy - earlier.busy) / t * Runtime.getRuntime().availableProcessors();
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    static double ownCpuSeconds() {
        return StreamsInstance.cpuSecondsOf(ProcessHandle.current().pid());
    }
}
