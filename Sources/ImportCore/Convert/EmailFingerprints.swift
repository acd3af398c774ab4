/// Remembers which addresses a conversion has written, to warn when one comes again, in little memory.
///
/// An export can hold one address on several users (Auth0 keeps one user per connection, Cognito without
/// an email alias allows it). The converted file keeps them all, since which one should win is for the
/// user to decide, but the import would fail the later rows, so the summary warns and names them. Keeping
/// a million addresses as strings would cost more than the rest of the conversion; this keeps a 64-bit
/// hash of each lowercased address instead, in 256 open-addressing tables chosen by the hash's top byte, so
/// a table that grows copies only itself and memory stays near 10 bytes an address. Two different
/// addresses sharing a hash (about one chance in 10^7 for a million addresses) would only cause a needless
/// warning, never a lost user.
struct EmailFingerprints {
    private var tables = [[UInt64]](repeating: [UInt64](repeating: 0, count: 16), count: 256)
    private var counts = [Int](repeating: 0, count: 256)

    /// Adds `email`; returns `false` when it (ignoring case) was added before.
    mutating func insert(_ email: String) -> Bool {
        var value = Self.hash(email.lowercased())
        if value == 0 { value = 1 }
        let bucket = Int(value >> 56)
        if counts[bucket] * 10 >= tables[bucket].count * 9 { grow(bucket) }
        let inserted = Self.insert(value, into: &tables[bucket])
        if inserted { counts[bucket] += 1 }
        return inserted
    }

    private mutating func grow(_ bucket: Int) {
        var larger = [UInt64](repeating: 0, count: tables[bucket].count * 2)
        for value in tables[bucket] where value != 0 { _ = Self.insert(value, into: &larger) }
        tables[bucket] = larger
    }

    private static func insert(_ value: UInt64, into table: inout [UInt64]) -> Bool {
        let mask = table.count - 1
        var index = Int(truncatingIfNeeded: value) & mask
        while true {
            let slot = table[index]
            if slot == 0 {
                table[index] = value
                return true
            }
            if slot == value { return false }
            index = (index + 1) & mask
        }
    }

    /// FNV-1a, then a final mix so the top byte and the low bits are both well spread.
    private static func hash(_ text: String) -> UInt64 {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        value ^= value >> 33
        value = value &* 0xff51_afd7_ed55_8ccd
        value ^= value >> 33
        value = value &* 0xc4ce_b9fe_1a85_ec53
        value ^= value >> 33
        return value
    }
}
