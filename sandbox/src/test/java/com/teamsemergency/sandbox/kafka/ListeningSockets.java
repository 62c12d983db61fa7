package com.teamsemergency.sandbox.kafka;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the TCP sockets this JVM listens on, from Linux's /proc, and the machine's non-loopback addresses, so that
 * tests can prove everything the sandbox starts is reachable on loopback only.
 */
public final class ListeningSockets {

    /** One listening socket: its local address as /proc shows it (hex) and decoded, and its port. */
    public record Listener(String address, int port) {

        public boolean isLoopback() {
            return address.startsWith("127.") || address.equals("::1") || address.startsWith("::ffff:127.");
        }
    }

    private ListeningSockets() {
    }

    /** Whether this platform exposes /proc/net/tcp and /proc/self/fd. */
    public static boolean available() {
        return Files.isReadable(Path.of("/proc/net/tcp")) && Files.isDirectory(Path.of("/proc/self/fd"));
    }

    /** Every TCP socket in LISTEN state that belongs to this process. */
    public static List<Listener> ofThisProcess() throws IOException {
        Set<String> inodes = socketInodes();
        List<Listener> listeners = new ArrayList<>();
        listeners.addAll(parse(Path.of("/proc/net/tcp"), inodes, false));
        Path tcp6 = Path.of("/proc/net/tcp6");
        if (Files.isReadable(tcp6)) {
            listeners.addAll(parse(tcp6, inodes, true));
        }
        return listeners;
    }

    private static Set<String> socketInodes() throws IOException {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (IOException e) {
                    // The descriptor was closed while we looked; it cannot be a listener we care about.
                }
            }
        }
        return inodes;
    }

    private static List<Listener> parse(Path table, Set<String> inodes, boolean ipv6) throws IOException {
        List<Listener> listeners = new ArrayList<>();
        List<String> lines = Files.readAllLines(table);
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.trim().split("\\s+");
            // fields: sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...
            if (fields.length < 10 || !fields[3].equals("0A") || !inodes.contains(fields[9])) {
                continue;
            }
            String[] local = fields[1].split(":");
            listeners.add(new Listener(decode(local[0], ipv6), Integer.parseInt(local[1], 16)));
        }
        return listeners;
    }

    private static String decode(String hex, boolean ipv6) {
        // /proc prints each 32-bit word of the address in host (little-endian) order.
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int i = 0; i < 4; i++) {
                int at = (word * 4 + (3 - i)) * 2;
                bytes[word * 4 + i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
            }
        }
        try {
            String text = InetAddress.getByAddress(bytes).getHostAddress();
            if (ipv6 && text.startsWith("0:0:0:0:0:ffff:")) {
                InetAddress v4 = InetAddress.getByAddress(Arrays.copyOfRange(bytes, 12, 16));
                return "::ffff:" + v4.getHostAddress();
            }
            return text.equals("0:0:0:0:0:0:0:1") ? "::1" : text;
        } catch (IOException e) {
            throw new IllegalStateException("Bad address in /proc: " + hex, e);
        }
    }

    /** The machine's IPv4 addresses that are not loopback, to try connecting on. */
    public static List<InetAddress> nonLoopbackAddresses() throws SocketException {
        List<InetAddress> addresses = new ArrayList<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp()) {
                continue;
            }
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
                    addresses.add(address);
                }
            }
        }
        return addresses;
    }

    /** Whether a TCP connection to the address and port succeeds within a second. */
    public static boolean accepts(InetAddress address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
