/// The kinds of object Hooklog names with a `PrefixedID`.
public enum IDKinds {
    /// A tenant: `ten_…`.
    public enum Tenant: IDKind {
        /// `ten`.
        public static var prefix: String { "ten" }
    }

    /// An endpoint: `ep_…`.
    public enum Endpoint: IDKind {
        /// `ep`.
        public static var prefix: String { "ep" }
    }

    /// An event: `evt_…`.
    public enum Event: IDKind {
        /// `evt`.
        public static var prefix: String { "evt" }
    }

    /// A delivery of one event to one target: `dlv_…`.
    public enum Delivery: IDKind {
        /// `dlv`.
        public static var prefix: String { "dlv" }
    }

    /// A replay of a window of deliveries: `rpl_…`.
    public enum Replay: IDKind {
        /// `rpl`.
        public static var prefix: String { "rpl" }
    }

    /// A mid-call invocation: `inv_…`.
    public enum Invocation: IDKind {
        /// `inv`.
        public static var prefix: String { "inv" }
    }
}

/// A tenant's id, `ten_…`.
public typealias TenantID = PrefixedID<IDKinds.Tenant>
/// An endpoint's id, `ep_…`.
public typealias EndpointID = PrefixedID<IDKinds.Endpoint>
/// An event's id, `evt_…`: the id every receiver sees, the same on every attempt and replay.
public typealias EventID = PrefixedID<IDKinds.Event>
/// A delivery's id, `dlv_…`.
public typealias DeliveryID = PrefixedID<IDKinds.Delivery>
/// A replay's id, `rpl_…`.
public typealias ReplayID = PrefixedID<IDKinds.Replay>
/// A mid-call invocation's id, `inv_…`.
public typealias InvocationID = PrefixedID<IDKinds.Invocation>
