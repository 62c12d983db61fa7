package com.teamsemergency.benchmarks.endtoend;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import javax.crypto.Cipher;

/**
 * The floor of the design, measured in the same run as the pipeline: how many RSA-OAEP (SHA-1, MGF1) private-key
 * decryptions of a wrapped 32-byte key per second, with each thread's cipher made once.
 */
final class BareRsaRate {

    private static final String KEY_WRAP = "RSA/ECB/OAEPWithSHA-1AndMGF1Padding";

    private BareRsaRate() {
    }

    static double measure(PrivateKey privateKey, PublicKey publicKey, int threads, Duration warmUp, Duration time)
            throws InterruptedException {
        byte[] wrapped;
        try {
            Cipher wrap = Cipher.getInstance(KEY_WRAP);
            wrap.init(Cipher.ENCRYPT_MODE, publicKey);
            wrapped = wrap.doFinal(new byte[32]);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA-OAEP is not available", e);
        }
        AtomicLong counted = new AtomicLong();
        long warmEnd = System.nanoTime() + warmUp.toNanos();
        long end = warmEnd + time.toNanos();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try {
                    Cipher rsa = Cipher.getInstance(KEY_WRAP);
                    rsa.init(Cipher.DECRYPT_MODE, privateKey);
                    long ops = 0;
                    long now;
                    while ((now = System.nanoTime()) < end) {
                        rsa.doFinal(wrapped);
                        if (now >= warmEnd) {
                            ops++;
                        }
                    }
                    counted.addAndGet(ops);
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
            }, "bare-rsa-" + t);
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        return counted.get() / (time.toNanos() / 1e9);
    }
}
