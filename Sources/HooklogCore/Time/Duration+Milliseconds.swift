extension Duration {
    /// The whole milliseconds in the duration (rounded toward zero).
    public var inMilliseconds: Int64 {
        self.components.seconds * 1_000 + self.components.attoseconds / 1_000_000_000_000_000
    }
}
