/// A cache that never holds more than `capacity` entries: two generations, the young one taking every new
/// or used entry; when it is full the old one is dropped and the young one becomes old. Recently used
/// entries survive, and memory stays flat whatever the number of keys.
struct BoundedCache<Key: Hashable, Value> {
    private var young: [Key: Value] = [:]
    private var old: [Key: Value] = [:]
    private let generation: Int

    /// - Parameter capacity: the most entries kept (at least 2).
    init(capacity: Int) {
        generation = max(1, capacity / 2)
    }

    /// The value for `key`, which counts as used.
    mutating func get(_ key: Key) -> Value? {
        if let value = young[key] { return value }
        guard let value = old.removeValue(forKey: key) else { return nil }
        set(key, value)
        return value
    }

    mutating func set(_ key: Key, _ value: Value) {
        if young[key] == nil, young.count >= generation {
            old = young
            young = [:]
            young.reserveCapacity(generation)
        }
        young[key] = value
    }

    /// Forgets `key`.
    mutating func remove(_ key: Key) {
        young[key] = nil
        old[key] = nil
    }

    /// How many entries are kept.
    var count: Int { young.count + old.count }
}
