package com.teamsemergency.streams.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.teamsemergency.streams.config.AlertsConfig;

/**
 * The command line of the Streams application: {@code run}, {@code replay}, {@code check-message} and
 * {@code locations import}. Each subcommand returns an exit code; nothing here calls {@code System.exit} but main.
 */
public final class Main {

    static final String USAGE = String.join(System.lineSeparator(),
            "usage: emergency-alerts COMMAND [--config FILE] ...",
            "",
            "  run                               run the service until stopped",
            "  replay FILE...                    run the topology over Event Hub record values, one file a record,",
            "                                    and print each output record as a JSON line",
            "         [--locations FILE.csv]     ... with these user locations loaded first",
            "         [--chat-messages]          ... treating the files as reconciled chatMessage records",
            "  check-message FILE                show what the emergency rules make of a chatMessage JSON",
            "  locations import FILE.csv         load user locations into the location topic",
            "            [--skip-bad-rows]       ... importing the good rows even if some are bad (exit code 1)",
            "  connector-status [TOPIC]          what the connector last said: sign-in prompt, subscription, counts",
            "                                    (needs kafka.bootstrap.servers, like run and locations import)",
            "  demo [--keep-running]             (launcher only) the product in the sandbox, on this machine",
            "",
            "Settings come from --config FILE (a properties file) and EMERGENCY_ALERTS_* environment variables;",
            "see docs/CONFIGURATION.md.");

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command line; the exit code is returned, not acted on, so that the sandbox can call it too. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> rest = new ArrayList<>(List.of(args));
        Path configFile = null;
        int option = rest.indexOf("--config");
        if (option >= 0) {
            if (option + 1 >= rest.size()) {
                err.println("--config needs a file");
                return 2;
            }
            configFile = Path.of(rest.get(option + 1));
            rest.subList(option, option + 2).clear();
            if (!Files.isReadable(configFile)) {
                err.println("Cannot read the configuration file " + configFile);
                return 2;
            }
        }
        if (rest.isEmpty() || rest.get(0).equals("--help") || rest.get(0).equals("-h") || rest.get(0).equals("help")) {
            (rest.isEmpty() ? err : out).println(USAGE);
            return rest.isEmpty() ? 2 : 0;
        }

        String command = rest.get(0);
        List<String> arguments = rest.subList(1, rest.size());
        if (arguments.contains("--help") || arguments.contains("-h")) {
            out.println(USAGE);
            return 0;
        }
        try {
            switch (command) {
                case "run":
                    return new RunCommand(config(configFile)).run(err);
                case "replay":
                    return new ReplayCommand(config(configFile)).run(arguments, out, err);
                case "check-message":
                    return new CheckMessageCommand(config(configFile)).run(arguments, out, err);
                case "connector-status":
                    return new ConnectorStatusCommand(config(configFile)).run(arguments, out, err);
                case "locations":
                    if (arguments.isEmpty() || !arguments.get(0).equals("import")) {
                        err.println("usage: emergency-alerts locations import FILE.csv [--skip-bad-rows]");
                        return 2;
                    }
                    return new LocationsImportCommand(config(configFile))
                            .run(arguments.subList(1, arguments.size()), out, err);
                default:
                    err.println("Unknown command '" + command + "'.");
                    err.println(USAGE);
                    return 2;
            }
        } catch (AlertsConfig.ConfigException | IllegalArgumentException e) {
            // Settings a person got wrong: one line that says what to change, no stack trace.
            err.println("Configuration error: " + e.getMessage()
                    + (configFile == null ? " (no --config FILE was given)" : " (in " + configFile + ")"));
            return 2;
        }
    }

    private static AlertsConfig config(Path file) {
        return AlertsConfig.load(file, System.getenv());
    }
}
