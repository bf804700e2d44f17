import Foundation

extension Duration {
    /// The duration in seconds, as a floating-point number.
    var inSeconds: Double {
        Double(self.components.seconds) + Double(self.components.attoseconds) / 1e18
    }

    /// The duration in seconds with two decimals, for people.
    var formattedSeconds: String {
        String(format: "%.2f s", self.inSeconds)
    }
}
