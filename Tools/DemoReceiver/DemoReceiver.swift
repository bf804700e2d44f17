// A webhook receiver for trying Hooklog out and for load tests: answers 200 at once, prints one
// line per delivery, and checks Standard Webhooks signatures when given the endpoint's secret.
//
//   Tools/demo-receiver --port 9000 --secret whsec_…        # watch deliveries arrive
//   Tools/demo-receiver --port 9000 --quiet                 # as fast as it goes (benchmarks)
//   Tools/demo-receiver --port 9000 --fail-every 3          # every third request gets a 500
import ArgumentParser
import Foundation
import HooklogCore
import HTTPTypes
import Hummingbird
import NIOCore
import Logging
import Synchronization

@main
struct DemoReceiver: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo-receiver",
        abstract: "Receive Hooklog's webhooks on a loopback port, verify and print them."
    )

    @Option(help: "The port to listen on (127.0.0.1).")
    var port = 9000

    @Option(help: "The endpoint's whsec_ secret: verify each Standard Webhooks signature.")
    var secret: String?

    @Option(help: "Answer 500 to every n-th request, to watch retries.")
    var failEvery: Int?

    func validate() throws {
        if let failEvery = self.failEvery, failEvery < 1 { throw ValidationError("--fail-every must be at least 1") }
    }

    @Flag(help: "Print nothing per request.")
    var quiet = false

    func run() async throws {
        let count = Atomic(0)
        let key = try self.secret.map { secret -> [UInt8] in
            guard secret.hasPrefix("whsec_"), let key = Base64.decode(String(secret.dropFirst(6))) else {
                throw ValidationError("--secret must be a whsec_ secret")
            }
            return key
        }
        let router = Router()
        router.post("**") { request, _ -> HTTPResponse.Status in
            let body = try await request.body.collect(upTo: 16 << 20)
            let number = count.wrappingAdd(1, ordering: .relaxed).newValue
            var verdict = "unsigned"
            if let key {
                let id = request.headers[HTTPField.Name("webhook-id")!] ?? ""
                let timestamp = request.headers[HTTPField.Name("webhook-timestamp")!] ?? ""
                let message = Array("\(id).\(timestamp).".utf8) + Array(buffer: body)
                let expected = "v1," + Base64.encode(HMACSHA256.authenticationCode(key: key, message: message))
                let sent = (request.headers[HTTPField.Name("webhook-signature")!] ?? "").split(separator: " ").map(String.init)
                verdict = sent.contains(expected) ? "signature ok" : "SIGNATURE MISMATCH"
            }
            let status: HTTPResponse.Status = self.failEvery.map { number % $0 == 0 } == true ? .internalServerError : .ok
            if !self.quiet {
                let id = request.headers[HTTPField.Name("webhook-id")!] ?? "-"
                print("#\(number) \(request.uri.path) \(id) \(body.readableBytes) bytes, \(verdict) -> \(status.code)")
            }
            return status
        }
        var logger = Logger(label: "demo-receiver")
        logger.logLevel = .warning
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: self.port)), logger: logger)
        print("demo receiver listening on http://127.0.0.1:\(self.port)")
        try await app.runService()
    }
}
