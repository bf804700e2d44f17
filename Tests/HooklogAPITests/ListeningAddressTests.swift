import HooklogAPI
import Testing

/// Where `hooklog resend` finds a running server: the URL it writes into its lock file.
@Suite("Listening address")
struct ListeningAddressTests {
    @Test(arguments: [
        ("127.0.0.1", "http://127.0.0.1:8080"),
        ("0.0.0.0", "http://127.0.0.1:8080"),
        ("::", "http://[::1]:8080"),
        ("::1", "http://[::1]:8080"),
        ("hooklog.internal", "http://hooklog.internal:8080"),
    ])
    func aWildcardHostIsReachedThroughLoopback(host: String, url: String) {
        #expect(ListeningAddress(host: host, port: 8080).localURL == url)
    }
}
