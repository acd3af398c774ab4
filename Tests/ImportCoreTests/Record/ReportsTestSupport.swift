import Foundation
import ImportCore
import Synchronization

/// A fresh folder under the system temp folder, removed by `cleanup()`.
struct ReportsTempFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("reports-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String {
        url.appendingPathComponent(name).path
    }

    func cleanup() {
        try? FileManager.default.removeItem(at: url)
    }
}

/// Reads a file as text.
func reportsRead(_ path: String) throws -> String {
    try String(contentsOfFile: path, encoding: .utf8)
}

/// The permission bits of a file.
func reportsMode(_ path: String) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
}

/// A strict RFC 4180 reader for checking what the writers produce, independent of the import's reader.
func reportsParseCSV(_ text: String) -> [[String]] {
    var rows: [[String]] = []
    var row: [String] = []
    var field = ""
    var inQuotes = false
    var chars = Array(text)
    var index = 0
    if chars.last != "\n" { chars.append("\n") }
    while index < chars.count {
        let c = chars[index]
        if inQuotes {
            if c == "\"" {
                if index + 1 < chars.count && chars[index + 1] == "\"" {
                    field.append("\"")
                    index += 1
                } else {
                    inQuotes = false
                }
            } else {
                field.append(c)
            }
        } else if c == "\"" {
            inQuotes = true
        } else if c == "," {
            row.append(field)
            field = ""
        } else if c == "\n" {
            row.append(field)
            rows.append(row)
            row = []
            field = ""
        } else {
            field.append(c)
        }
        index += 1
    }
    return rows
}

/// A clock tests move by hand, so throttling is checked without sleeping.
final class ReportsFakeClock: Sendable {
    private let current = Mutex(ContinuousClock.now)

    var now: ContinuousClock.Instant { current.withLock { $0 } }

    func advance(_ duration: Duration) {
        current.withLock { $0 = $0.advanced(by: duration) }
    }
}

/// A failure with every field set, for file tests.
func reportsFailure(
    record: Int = 1, email: String = "alice@example.com", message: String = "email is not valid",
    stage: RowFailure.Stage = .validation, userId: String? = nil, httpStatus: Int? = nil
) -> RowFailure {
    RowFailure(
        recordNumber: record, line: record + 1, email: email, userId: userId, stage: stage, message: message,
        httpStatus: httpStatus, workosCode: httpStatus == nil ? nil : "user_creation_error",
        workosRequestId: httpStatus == nil ? nil : "req_123",
        timestamp: Date(timeIntervalSince1970: 1_772_357_400.125))
}
