package io.sipai.runtime.ssrf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The SSRF guard's decisions, at subscription time ({@code check}) and connect time ({@code resolve}). */
class SsrfGuardTest {

    private static final InetAddress PUBLIC = address(93, 184, 215, 14);

    private final SsrfGuard guard = new SsrfGuard(List.of(), host -> new InetAddress[] {PUBLIC});

    @ParameterizedTest
    @ValueSource(strings = {
        "http://127.0.0.1/", "http://127.255.0.9/", "http://10.1.2.3/", "http://172.16.0.1/", "http://172.31.9.9/",
        "http://192.168.1.1/", "http://169.254.169.254/latest/meta-data/", "http://100.64.0.1/",
        "http://0.0.0.0/", "http://224.0.0.1/", "http://240.0.0.1/", "http://255.255.255.255/",
        "http://192.0.2.1/", "http://198.18.0.1/",
        "http://[::1]/", "http://[::]/", "http://[fc00::1]/", "http://[fd12:3456::1]/", "http://[fe80::1]/",
        "http://[ff02::1]/", "http://[::ffff:7f00:1]/", "http://[::ffff:a9fe:a9fe]/", "http://[64:ff9b::a00:1]/",
        "http://[2002:7f00:1::]/", "http://[::127.0.0.1]/",
        "http://2130706433/", "http://0177.0.0.1/", "http://0x7f.0.0.1/", "http://0x7f000001/", "http://127.1/",
        "http://017700000001/", "http://127.000.000.001/",
        "ftp://example.com/", "file:///etc/passwd", "http://user:pw@example.com/", "not a url"})
    void refusesInternalAddressesAndTrickySpellings(String url) {
        assertThatThrownBy(() -> guard.check(url)).isInstanceOf(SsrfRefusedException.class);
    }

    @Test
    void refusesAHostNameThatResolvesToAnyInternalAddress() {
        SsrfGuard rebinding = new SsrfGuard(List.of(),
                host -> new InetAddress[] {PUBLIC, address(169, 254, 169, 254)});

        assertThatThrownBy(() -> rebinding.resolve("https://hooks.example.com/x"))
                .isInstanceOf(SsrfRefusedException.class).hasMessageContaining("link-local");
    }

    @Test
    void connectsToTheAddressItCheckedEvenIfDnsChangesAfterwards() throws Exception {
        // given a resolver that answers a public address once, then loopback (DNS rebinding)
        AtomicInteger lookups = new AtomicInteger();
        SsrfGuard rebinding = new SsrfGuard(List.of(), host -> new InetAddress[] {
            lookups.getAndIncrement() == 0 ? PUBLIC : InetAddress.getLoopbackAddress()});

        // when
        CheckedTarget target = rebinding.resolve("https://hooks.example.com:8443/in?a=1");

        // then the target pins the checked address and keeps the name for Host/SNI
        assertThat(target.address()).isEqualTo(PUBLIC);
        assertThat(target.hostHeader()).isEqualTo("hooks.example.com:8443");
        assertThat(target.requestTarget()).isEqualTo("/in?a=1");
        assertThat(target.tls()).isTrue();
        assertThat(lookups).hasValue(1);
    }

    @Test
    void acceptsPublicAddressesAndNames() throws Exception {
        guard.check("https://hooks.example.com/webhooks");
        guard.check("http://93.184.215.14:8080/");
        guard.check("https://[2606:4700::1111]/");
    }

    @Test
    void theAllowListLetsOneLoopbackPortThroughAndNoOther() throws Exception {
        SsrfGuard allowing = new SsrfGuard(List.of("127.0.0.1:8999"));

        assertThat(allowing.resolve("http://127.0.0.1:8999/hook").address().isLoopbackAddress()).isTrue();
        assertThatThrownBy(() -> allowing.resolve("http://127.0.0.1:9000/hook"))
                .isInstanceOf(SsrfRefusedException.class);
    }

    @Test
    void anAllowListedNameIsAcceptedAtCheckTimeWithoutAskingDns() throws Exception {
        // given a resolver that knows no name at all
        AtomicInteger lookups = new AtomicInteger();
        SsrfGuard allowing = new SsrfGuard(List.of("hooks.test"), host -> {
            lookups.incrementAndGet();
            throw new java.net.UnknownHostException(host);
        });

        // when / then: the allow-listed name passes, another name is refused because it does not resolve
        allowing.check("https://hooks.test/in");
        assertThat(lookups).hasValue(0);
        assertThatThrownBy(() -> allowing.check("https://other.test/in"))
                .isInstanceOf(SsrfRefusedException.class).hasMessageContaining("does not resolve");
    }

    private static InetAddress address(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
