/// An export that tells records' tenants by the projections found them unusable partway (a
/// server started by another build began rebuilding them): what it wrote so far is sound, what
/// follows could not be told apart, so it stops without its manifest.
public struct ExportInterrupted: Error, Sendable, Equatable, CustomStringConvertible {
    /// Why the projections cannot be used (`ProjectionRebuilder.reasonToRebuild`).
    public let reason: String
    /// The first sequence not exported.
    public let sequence: UInt64

    public var description: String {
        "the export stopped before sequence \(self.sequence): the projections cannot be used any more (\(self.reason)); export again once they are rebuilt"
    }
}
