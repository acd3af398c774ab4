#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `--sso-secrets`: the secrets a package redacted, keyed by the connection's `externalId`. A CSV with an
/// `externalId` column and the secret columns (`clientSecret`, `requestSigningKey`,
/// `assertionEncryptionKey`, `nameIdEncryptionKey`), or JSON: `{"<externalId>": {"clientSecret": "…"}}`.
/// A secret that no connection takes is a problem, so a typo in an id is never a silently missing secret.
struct SSOSecretsFile {
    /// The secrets by external id, with where each was given.
    private var entries: [String: (values: [String: String], line: Int)] = [:]
    private var taken: Set<String> = []
    private var problems: [SSORowProblem] = []
    let path: String

    /// Reads the file; JSON when it starts with `{`.
    static func read(path: String) throws(ImportError) -> SSOSecretsFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .usage("cannot read \(path): --sso-secrets takes a CSV or JSON file of secrets by externalId")
        }
        var file = SSOSecretsFile(path: path)
        if data.first(where: { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }) == UInt8(ascii: "{") {
            guard let object = try? JSONDecoder().decode([String: [String: String]].self, from: data) else {
                throw .usage(
                    "\(path) is not a JSON object of secrets by externalId, like "
                        + #"{"okta-1":{"clientSecret":"…"}}; give a JSON object or a CSV file"#)
            }
            for (index, (id, values)) in object.sorted(by: { $0.key < $1.key }).enumerated() {
                file.add(id: id, values: values, line: index + 1)
            }
            return file
        }
        try file.readCSV()
        return file
    }

    private mutating func readCSV() throws(ImportError) {
        let table = try NamedColumnFile(path: path, lowercased: false)
        guard table.positions["externalId"] != nil else {
            throw .usage(
                "\(path) has no externalId column: a secrets file's header is externalId,"
                    + SSOSecrets.columns.joined(separator: ","))
        }
        while let result = table.reader.next() {
            let record = result.record
            var values = table.cells(of: record.fields)
            let id = values.removeValue(forKey: "externalId") ?? ""
            add(id: id, values: values, line: record.line)
        }
        if let error = table.reader.readError { throw .csv(error) }
    }

    /// Adds one entry, refusing columns that are no secret (a value never appears in a message).
    private mutating func add(id: String, values: [String: String], line: Int) {
        let unknown = values.keys.filter { !SSOSecrets.columns.contains($0) }.sorted()
        if id.isEmpty || !unknown.isEmpty {
            problems.append(
                SSORowProblem(
                    path: path, line: line,
                    message: id.isEmpty
                        ? "has no externalId"
                        : "gives \(DisplayText.list(unknown)), which are no secret a connection takes (\(SSOSecrets.columns.joined(separator: ", ")))",
                    reason: "a secrets entry is malformed", externalId: id.isEmpty ? nil : id))
            return
        }
        entries[id] = (values, line)
    }

    /// The secrets of the connection `id`, marked taken.
    mutating func take(_ id: String) -> [String: String]? {
        guard let entry = entries[id] else { return nil }
        taken.insert(id)
        return entry.values
    }

    /// The problems of the file: its malformed entries, and each secret no connection took.
    func leftOver() -> [SSORowProblem] {
        problems
            + entries.filter { !taken.contains($0.key) }.sorted { $0.value.line < $1.value.line }.map { id, entry in
                SSORowProblem(
                    path: path, line: entry.line,
                    message: "gives secrets for the externalId \(DisplayText.quoted(id)), which no connection row has",
                    reason: "a secret given for no connection", externalId: id)
            }
    }
}
