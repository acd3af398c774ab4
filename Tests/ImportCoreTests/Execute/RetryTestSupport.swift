/// A deterministic random number generator (SplitMix64), so jitter is the same on every test run.
struct SeededGenerator: RandomNumberGenerator {
    /// The generator state.
    private var state: UInt64

    /// Starts the sequence from `seed`.
    init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var value = state
        value = (value ^ (value >> 30)) &* 0xbf58_476d_1ce4_e5b9
        value = (value ^ (value >> 27)) &* 0x94d0_49bb_1331_11eb
        return value ^ (value >> 31)
    }
}

extension Duration {
    /// The duration in seconds, for comparisons with computed bounds.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }
}
