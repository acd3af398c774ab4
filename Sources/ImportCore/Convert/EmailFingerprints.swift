/// Remembers which addresses a conversion has written, to warn when one comes again, in little memory.
///
/// An export can hold one address on several users (Auth0 keeps one user per connection, Cognito without
/// an email alias allows it). The converted file keeps them all, since which one should win is for the
/// user to decide, but the import would fail the later rows, so the summary warns and names them. Keeping
/// a million addresses as strings would cost more than the rest of the conversion; this keeps 60 bits of a
/// 64-bit hash of each lowercased address instead: the top 12 choose one of 4,096 small open-addressing
/// tables, and the table holds the next 48 (as a 32-bit and a 16-bit part, 6 bytes an address). A table
/// grows by a quarter when it is 90 % full, so it is never less than 72 % full and growing copies only
/// itself: about 7.5 bytes an address, 7.5 MB for a million. Two different addresses sharing those 60 bits
/// (about one chance in 2 million for a million addresses) would only cause a needless warning, never a
/// lost user.
struct EmailFingerprints {
    private static let tableCount = 4096
    /// The low 32 bits kept of each address in a table; 0 marks an empty slot.
    private var lows = [[UInt32]](repeating: [UInt32](repeating: 0, count: 8), count: tableCount)
    /// The 16 bits above them, slot for slot.
    private var highs = [[UInt16]](repeating: [UInt16](repeating: 0, count: 8), count: tableCount)
    private var counts = [Int](repeating: 0, count: tableCount)

    /// Adds `email`; returns `false` when it (ignoring case) was added before.
    mutating func insert(_ email: String) -> Bool {
        let value = Self.hash(email)
        let table = Int(truncatingIfNeeded: value >> 52)
        var low = UInt32(truncatingIfNeeded: value)
        if low == 0 { low = 1 }
        let high = UInt16(truncatingIfNeeded: value >> 32)
        if counts[table] * 10 >= lows[table].count * 9 { grow(table) }
        let inserted = Self.insert(low, high, into: &lows[table], &highs[table])
        if inserted { counts[table] += 1 }
        return inserted
    }

    private mutating func grow(_ table: Int) {
        let capacity = lows[table].count + max(1, lows[table].count / 4)
        var newLows = [UInt32](repeating: 0, count: capacity)
        var newHighs = [UInt16](repeating: 0, count: capacity)
        for (low, high) in zip(lows[table], highs[table]) where low != 0 {
            _ = Self.insert(low, high, into: &newLows, &newHighs)
        }
        lows[table] = newLows
        highs[table] = newHighs
    }

    private static func insert(_ low: UInt32, _ high: UInt16, into lows: inout [UInt32], _ highs: inout [UInt16])
        -> Bool
    {
        // The slot is the low bits scaled to the table's size, so a table can have any size.
        var index = Int(truncatingIfNeeded: (UInt64(low) &* UInt64(lows.count)) >> 32)
        while true {
            let slot = lows[index]
            if slot == 0 {
                lows[index] = low
                highs[index] = high
                return true
            }
            if slot == low && highs[index] == high { return false }
            index += 1
            if index == lows.count { index = 0 }
        }
    }

    /// FNV-1a over the lowercased address, then a final mix so the top bits and the low bits are both well
    /// spread. ASCII addresses are lowercased byte by byte; others through `lowercased()`.
    private static func hash(_ email: String) -> UInt64 {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        if email.utf8.allSatisfy({ $0 < 0x80 }) {
            for byte in email.utf8 {
                let lower = (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
                value = (value ^ UInt64(lower)) &* 0x0000_0100_0000_01B3
            }
        } else {
            for byte in email.lowercased().utf8 {
                value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            }
        }
        value ^= value >> 33
        value = value &* 0xff51_afd7_ed55_8ccd
        value ^= value >> 33
        value = value &* 0xc4ce_b9fe_1a85_ec53
        value ^= value >> 33
        return value
    }
}
