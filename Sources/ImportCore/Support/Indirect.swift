/// A value kept on the heap, so whatever holds it is one word wide.
///
/// For large, rarely set fields of values that async functions keep across their awaits: each such slot is
/// part of the frame every task in flight holds.
indirect enum Indirect<Value> {
    case value(Value)

    /// The value.
    var value: Value {
        switch self {
        case .value(let value): value
        }
    }
}

extension Indirect: Equatable where Value: Equatable {}
extension Indirect: Sendable where Value: Sendable {}
