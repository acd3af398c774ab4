import Foundation
import ImportCore

/// Reads every record of `text` (UTF-8) with a reader over memory.
func readAll(_ text: String) throws -> (header: [String], results: [CSVReadResult]) {
    try readAll(Array(text.utf8))
}

/// Reads every record of `bytes` with a reader over memory.
func readAll(_ bytes: [UInt8]) throws -> (header: [String], results: [CSVReadResult]) {
    let reader = try CSVReader(bytes: bytes)
    var results: [CSVReadResult] = []
    while let result = reader.next() { results.append(result) }
    return (reader.header, results)
}

/// A fresh directory under the system's temporary folder, removed by the caller with `removeItem`.
func makeTemporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("csv-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// A short description of a result, for readable expectations: "record 2 line 3 [a, b]" or
/// "malformed 2 line 3: reason".
func summary(_ result: CSVReadResult) -> String {
    switch result {
    case .record(let record):
        return "record \(record.recordNumber) line \(record.line) [\(record.fields.joined(separator: "|"))]"
    case .malformed(let record, let reason):
        return "malformed \(record.recordNumber) line \(record.line): \(reason)"
    }
}

/// The repository root (examples/ lives there): the nearest folder above this file that holds Package.swift,
/// so moving a test file to another folder does not move it.
let repositoryRoot: URL = {
    var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    while folder.pathComponents.count > 1,
        !FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path)
    {
        folder.deleteLastPathComponent()
    }
    return folder
}()
