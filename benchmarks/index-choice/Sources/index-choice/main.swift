import Foundation
import GRDB
import ImportCore

// Builds a key → payload map of `count` users and looks `count` keys up in random order (half present, half
// absent), with one of the candidate stores. Run each variant in its own process so peak memory is its own.
//
//   index-choice <sorted|grdb|grdb-rowid|baseline> <folder> [count]

let arguments = CommandLine.arguments
guard arguments.count >= 3, ["sorted", "grdb", "grdb-rowid", "baseline"].contains(arguments[1]) else {
    FileHandle.standardError.write(
        Data("usage: index-choice <sorted|grdb|grdb-rowid|baseline> <folder> [count]\n".utf8))
    exit(2)
}
let variant = arguments[1]
let folder = arguments[2]
let count = arguments.count > 3 ? Int(arguments[3])! : 1_000_000

/// A realistic user record as a survey would keep it: WorkOS id, email, names, verification, update time.
func payload(_ index: Int) -> [UInt8] {
    let id = String(index, radix: 36).uppercased()
    let padded = String(repeating: "0", count: 20 - id.count) + id
    return Array(
        """
        {"id":"user_01JD\(padded)XYZW","email":"user\(index)@example.com","first_name":"Ada\(index % 97)",\
        "last_name":"Lovelace","email_verified":true,"updated_at":"2026-11-20T10:00:00.000Z"}
        """.utf8)
}

/// The key of the `index`th lookup: even lookups ask for a stored user, odd ones for an email never stored.
func lookupKey(_ index: Int, _ random: inout SeededRandom) -> RecordKey {
    let user = random.below(count)
    return RecordKey(hashing: index % 2 == 0 ? "user\(user)@example.com" : "absent\(user)@example.com")
}

func bytes(_ key: RecordKey) -> Data {
    var big = (key.high.bigEndian, key.low.bigEndian)
    return withUnsafeBytes(of: &big) { Data($0) }
}

func fileSize(_ path: String) -> Int {
    ((try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? NSNumber)?.intValue ?? 0
}

let clock = ContinuousClock()
var buildTime = Duration.zero
var lookupTime = Duration.zero
var hits = 0
var payloadBytes = 0
var diskBytes = 0

switch variant {
case "baseline":
    // Only the work every variant shares: making keys and payloads, hashing lookup keys.
    let start = clock.now
    var sink = 0
    for index in 0..<count {
        sink &+= Int(RecordKey(hashing: "user\(index)@example.com").low & 1) + payload(index).count
    }
    buildTime = clock.now - start
    var random = SeededRandom(seed: 7)
    let lookupStart = clock.now
    for index in 0..<count { sink &+= Int(lookupKey(index, &random).low & 1) }
    lookupTime = clock.now - lookupStart
    payloadBytes = sink

case "sorted":
    let start = clock.now
    let builder = try SortedRecordFile.Builder(directory: folder)
    for index in 0..<count {
        try builder.add(RecordKey(hashing: "user\(index)@example.com"), payload: payload(index))
    }
    let index = try builder.finish()
    buildTime = clock.now - start
    diskBytes = index.byteCount
    var random = SeededRandom(seed: 7)
    let lookupStart = clock.now
    for lookup in 0..<count {
        if let found = try index.payload(for: lookupKey(lookup, &random)) {
            hits += 1
            payloadBytes += found.count
        }
    }
    lookupTime = clock.now - lookupStart
    index.close()

default:
    let path = folder + "/index-\(variant).sqlite"
    var configuration = Configuration()
    // Temporary data rebuilt by every run: no crash safety wanted, the same as the sorted file.
    configuration.prepareDatabase { db in
        try db.execute(sql: "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF")
    }
    let queue = try DatabaseQueue(path: path, configuration: configuration)
    let start = clock.now
    try queue.write { db in
        try db.execute(
            sql: "CREATE TABLE records (key BLOB PRIMARY KEY NOT NULL, payload BLOB NOT NULL)"
                + (variant == "grdb" ? " WITHOUT ROWID" : ""))
        let insert = try db.makeStatement(sql: "INSERT OR REPLACE INTO records (key, payload) VALUES (?, ?)")
        for index in 0..<count {
            insert.setUncheckedArguments([bytes(RecordKey(hashing: "user\(index)@example.com")), Data(payload(index))])
            try insert.execute()
        }
    }
    buildTime = clock.now - start
    diskBytes = fileSize(path)
    var random = SeededRandom(seed: 7)
    let lookupStart = clock.now
    try queue.read { db in
        let select = try db.makeStatement(sql: "SELECT payload FROM records WHERE key = ?")
        for lookup in 0..<count {
            select.setUncheckedArguments([bytes(lookupKey(lookup, &random))])
            if let found = try Data.fetchOne(select) {
                hits += 1
                payloadBytes += found.count
            }
        }
    }
    lookupTime = clock.now - lookupStart
    try queue.close()
    try FileManager.default.removeItem(atPath: path)
}

func seconds(_ duration: Duration) -> String {
    let value = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    return String(format: "%.2f", value)
}

if variant != "baseline" && hits != count / 2 + count % 2 {
    FileHandle.standardError.write(Data("\(variant): \(hits) hits, expected \(count / 2 + count % 2)\n".utf8))
    exit(1)
}
print(
    "variant=\(variant) count=\(count) build_s=\(seconds(buildTime)) lookup_s=\(seconds(lookupTime)) "
        + "hits=\(hits) file_mb=\(String(format: "%.1f", Double(diskBytes) / 1_048_576))")
