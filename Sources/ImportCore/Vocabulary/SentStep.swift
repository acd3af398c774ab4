import Foundation

/// The steps of a row after its user whose request is journaled as sent before it goes out.
public enum SentStep: String, Sendable, Codable {
    case membership
    case factor
}
