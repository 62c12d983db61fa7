package com.teamsemergency.benchmarks.hotpath;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.crypto.Cipher;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import com.teamsemergency.common.crypto.DecryptionException;
import com.teamsemergency.common.crypto.NotificationDecryptor;
import com.teamsemergency.common.crypto.NotificationKeyRing;
import com.teamsemergency.common.message.ChatMessage;
import com.teamsemergency.common.message.ChatMessageCodec;
import com.teamsemergency.common.message.EmergencyRules;
import com.teamsemergency.common.message.MalformedMessageException;
import com.teamsemergency.common.message.Recognition;
import com.teamsemergency.common.notification.ChangeNotification;
import com.teamsemergency.common.notification.ChangeNotificationCodec;
import com.teamsemergency.common.notification.EncryptedContent;
import com.teamsemergency.common.notification.MalformedNotificationException;
import com.teamsemergency.sandbox.graph.encoding.NotificationEncoder;
import com.teamsemergency.sandbox.pipeline.ChatMessages;
import com.teamsemergency.sandbox.pipeline.HubWriter;
import com.teamsemergency.sandbox.pipeline.StreamsSandbox;
import com.teamsemergency.sandbox.tls.SelfSignedCertificate;

/**
 * The per-notification hot paths of the Streams application, measured beside the floor no design can go under: one
 * bare RSA-OAEP (SHA-1, MGF1) private-key decryption with the same 2048-bit key.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HotPathBenchmarks {

    private static final String KEY_WRAP = "RSA/ECB/OAEPWithSHA-1AndMGF1Padding";
    private static final String CLIENT_STATE = "benchmark-client-state-0123456789";

    private NotificationDecryptor decryptor;
    private EmergencyRules rules;
    private byte[] emergencyRecord;
    private EncryptedContent emergencyContent;
    private ChatMessage emergencyMessage;
    private PrivateKey privateKey;
    private byte[] wrappedKey;
    private Cipher bareRsa;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Path dir = Files.createTempDirectory("hot-path-benchmarks");
        char[] password = "benchmark-keystore".toCharArray();
        SelfSignedCertificate key = SelfSignedCertificate.createNotificationKey(dir, StreamsSandbox.CERTIFICATE_ID,
                password);
        decryptor = new NotificationDecryptor(NotificationKeyRing.fromPkcs12(key.keystore(), password));
        rules = EmergencyRules.defaults();
        privateKey = key.privateKey();

        NotificationEncoder encoder = new NotificationEncoder(key.certificate(), StreamsSandbox.CERTIFICATE_ID,
                CLIENT_STATE, StreamsSandbox.TENANT_ID);
        byte[] chatMessage = ChatMessages.emergencyCall("19:0f3c9a7e5b2d4c1e8a6f9d0b3e7c5a21@thread.v2",
                "1733320000000", "7d2c5b1e-4f3a-4e21-9c8d-0a1b2c3d4e5f", "Dana Whitfield", "911",
                "Building 2, Floor 3, 500 Example Ave, Springfield, IL 62701, US", "+1 217 555 0142");
        emergencyRecord = encoder.collection(HubWriter.SUBSCRIPTION_ID, Instant.now().plusSeconds(3 * 24 * 3600),
                List.of(chatMessage));
        emergencyContent = ChangeNotificationCodec.parseCollection(emergencyRecord).get(0).encryptedContent();
        emergencyMessage = ChatMessageCodec.parse(chatMessage);

        // The floor wraps a key just as Graph does, so both sides decrypt the same 256-byte block.
        wrappedKey = Base64.getDecoder().decode(emergencyContent.dataKey());
        bareRsa = Cipher.getInstance(KEY_WRAP);
        bareRsa.init(Cipher.DECRYPT_MODE, privateKey);
        deleteQuietly(dir);
    }

    /** The floor: one RSA-OAEP private-key decryption, with the cipher made and initialised once. */
    @Benchmark
    public byte[] bareRsaOaepDecrypt() throws GeneralSecurityException {
        return bareRsa.doFinal(wrappedKey);
    }

    /** Choosing the key, unwrapping the AES key, checking the HMAC and decrypting the content of one notification. */
    @Benchmark
    public byte[] verifyAndDecrypt() throws DecryptionException {
        return decryptor.decrypt(emergencyContent);
    }

    /** Rendering one message's HTML body as text and applying the default emergency rules to it. */
    @Benchmark
    public Recognition htmlToTextAndRules() {
        return rules.recognise(emergencyMessage);
    }

    /** Parsing one Event Hub record: a change-notification collection holding one encrypted notification. */
    @Benchmark
    public List<ChangeNotification> parseCollection() throws MalformedNotificationException {
        return ChangeNotificationCodec.parseCollection(emergencyRecord);
    }

    /** All of the above for one record, as the topology's first steps do it: parse, decrypt, read, recognise. */
    @Benchmark
    public Recognition wholeNotification() throws MalformedNotificationException, DecryptionException,
            MalformedMessageException {
        ChangeNotification notification = ChangeNotificationCodec.parseCollection(emergencyRecord).get(0);
        ChatMessage message = ChatMessageCodec.parse(decryptor.decrypt(notification.encryptedContent()));
        return rules.recognise(message);
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // A temporary folder left behind is harmless.
        }
    }
}
