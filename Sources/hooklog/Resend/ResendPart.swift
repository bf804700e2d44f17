/// What one replay request of a resend made of its part of the window.
enum ResendPart {
    case answered(ResendAnswer)
    /// Too large for one request; `reason` says by what limit, `splitAtMs` where it was reached.
    case tooLarge(reason: String, splitAtMs: UInt64?)
}
