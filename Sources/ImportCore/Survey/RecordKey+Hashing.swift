import SortedRecordFile

extension RecordKey {
    /// The key of `text`: the first 16 bytes of the SHA-256 of its UTF-8.
    ///
    /// The caller chooses what is hashed, and should normalise it first (an email lowercased, say) when two
    /// spellings must find the same record.
    package init(hashing text: String) {
        let digest = SHA256.digest(text.utf8)
        var high: UInt64 = 0
        var low: UInt64 = 0
        for index in 0..<8 {
            high = high << 8 | UInt64(digest[index])
            low = low << 8 | UInt64(digest[index + 8])
        }
        self.init(high: high, low: low)
    }
}
