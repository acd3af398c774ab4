import Foundation

/// Random choices in tests come from a seed that the run prints, so any failure can be replayed.
enum TestSeed {
    /// The seed in the environment variable `name`, or a fresh one; printed either way.
    static func draw(environment name: String) -> UInt64 {
        let seed =
            ProcessInfo.processInfo.environment[name].flatMap(UInt64.init) ?? UInt64.random(in: 1...UInt64.max)
        print("\(name)=\(seed)")
        return seed
    }
}

/// SplitMix64: a small, fast generator whose whole sequence follows from its seed.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
