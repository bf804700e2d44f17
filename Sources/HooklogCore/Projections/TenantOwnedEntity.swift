/// A row that belongs to one tenant, and whose stored value begins with that tenant's id, after
/// its version byte (`BinaryFraming`): whose a row is can then be read without decoding the rest
/// (an export asks it of most records).
public protocol TenantOwnedEntity: ProjectedEntity {
    /// The version byte that starts the stored row.
    static var valueVersion: UInt8 { get }
    /// The tenant the row belongs to, written first in its stored value.
    var tenantId: TenantID { get }
}

extension TenantOwnedEntity {
    /// The tenant named at the front of a stored row.
    public static func tenantId(inStored bytes: UnsafeRawBufferPointer) throws(RecordDecodingError) -> TenantID {
        guard let version = bytes.first else { throw .truncated(offset: 0, needed: 1) }
        guard version == Self.valueVersion else { throw .unsupportedVersion(version, offset: 0) }
        guard bytes.count > TenantID.byteCount, let tenantId = TenantID(bytes: UnsafeRawBufferPointer(rebasing: bytes[1...TenantID.byteCount])) else {
            throw .truncated(offset: 1, needed: TenantID.byteCount)
        }
        return tenantId
    }
}

extension DeliveryState: TenantOwnedEntity {}
extension EndpointState: TenantOwnedEntity {}
extension InvocationState: TenantOwnedEntity {}
