package com.teamsemergency.connector.graph;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.apache.kafka.common.config.ConfigException;

import com.teamsemergency.connector.config.ConnectorConfig;

/** Builds the TLS context used towards Entra ID and Graph: the JVM default, or one trusting a configured store. */
public final class TrustedTls {

    private TrustedTls() {
    }

    public static SSLContext context(ConnectorConfig config) {
        String path = config.truststorePath();
        try {
            if (path == null || path.isBlank()) {
                return SSLContext.getDefault();
            }
            KeyStore store = KeyStore.getInstance(config.truststoreType());
            String password = config.truststorePassword() == null ? "" : config.truststorePassword().value();
            try (InputStream in = Files.newInputStream(Path.of(path))) {
                store.load(in, password == null ? new char[0] : password.toCharArray());
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException(ConnectorConfig.HTTPS_TRUSTSTORE_PATH, path,
                    "cannot be loaded as a " + config.truststoreType() + " trust store: " + e.getMessage());
        }
    }
}
