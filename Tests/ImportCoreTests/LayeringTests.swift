import Foundation
import Testing

/// ImportCore's folders are layers: a folder may use the types of the folders below it, never of one above.
/// The compiler sees one module, so this test holds the line: it reads the sources, collects the top-level
/// types each folder declares, and names every file that uses a type of a higher folder.
@Suite("Layers")
struct LayeringTests {
    /// ImportCore's folders, lowest first. A new folder takes its place here (ARCHITECTURE.md shows the same).
    static let order = [
        "Support", "Read", "Configuration", "Request", "Vocabulary", "Check", "Record", "Target", "Survey", "Execute",
        "Webhooks", "Run", "Plan", "Verify", "Undo", "Convert", "Export", "Generator", "Report",
    ]

    @Test("No folder of ImportCore uses a type declared in a folder above it")
    func importCoreHasNoUpwardUse() throws {
        let files = try Self.importCoreFiles()
        #expect(files.count > 100, "found only \(files.count) Swift files under Sources/ImportCore")
        let scan = LayerScan(order: Self.order, files: files)
        #expect(scan.unplacedFolders.isEmpty, "folders missing from LayeringTests.order: \(scan.unplacedFolders)")
        #expect(scan.violations.isEmpty, "\(scan.violations.map(\.description).joined(separator: "\n"))")
    }

    @Test("The scan names the file and the type of an upward use, and nothing for a use downward or of a private type")
    func scanCatchesAMadeUpViolation() {
        let files = [
            LayerScan.File(
                folder: "Low", path: "Low/Word.swift",
                text: "public struct Word {\n    let helper: Helper\n}\nprivate struct Helper {}\n"),
            LayerScan.File(
                folder: "High", path: "High/Sentence.swift",
                text:
                    "@usableFromInline\nfinal class Sentence {\n    let words: [Word]\n}\nfileprivate enum Helper {}\n"),
            LayerScan.File(
                folder: "Low", path: "Low/Paragraph.swift", text: "struct Paragraph {\n    var first: Sentence?\n}\n"),
        ]
        let scan = LayerScan(order: ["Low", "High"], files: files)
        #expect(scan.declarations == ["Word": "Low", "Sentence": "High", "Paragraph": "Low"])
        #expect(
            scan.violations == [
                LayerScan.Violation(path: "Low/Paragraph.swift", type: "Sentence", declaredIn: "High", usedIn: "Low")
            ])
        #expect(
            scan.violations.first?.description
                == "Low/Paragraph.swift uses Sentence, declared in High, a folder above Low")
    }

    @Test(
        "Names in comments and string literals are not uses; names in string interpolations are",
        arguments: [
            ("// see Sentence\n/* Sentence /* nested */ Sentence */\n", false),
            ("/// ``Sentence`` explains why\n", false),
            ("let a = \"a Sentence\"\n", false),
            ("let a = #\"a \"Sentence\"\"#\n", false),
            ("let a = \"\"\"\n    Sentence \"quoted\"\n    \"\"\"\n", false),
            ("let a = \"count: \\(Sentence.count)\"\n", true),
            ("let a = \"nested \\(f(\"x\", Sentence.self))\"\n", true),
            ("let a = \"\\\\\"; let b: Sentence\n", true),
        ])
    func commentsAndStrings(text: String, isUse: Bool) {
        let files = [
            LayerScan.File(folder: "High", path: "High/Sentence.swift", text: "struct Sentence {}\n"),
            LayerScan.File(folder: "Low", path: "Low/Use.swift", text: text),
        ]
        let scan = LayerScan(order: ["Low", "High"], files: files)
        #expect(scan.violations.isEmpty == !isUse, "\(text)")
    }

    @Test("A folder the order does not name is reported, so a new folder must be placed")
    func unplacedFolder() {
        let files = [LayerScan.File(folder: "Elsewhere", path: "Elsewhere/A.swift", text: "struct A {}\n")]
        #expect(LayerScan(order: ["Low"], files: files).unplacedFolders == ["Elsewhere"])
    }

    /// Every Swift file under Sources/ImportCore, with its top folder.
    static func importCoreFiles() throws -> [LayerScan.File] {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
            let parent = directory.deletingLastPathComponent()
            try #require(parent.path != directory.path, "no Package.swift above \(#filePath)")
            directory = parent
        }
        let root = directory.appendingPathComponent("Sources/ImportCore")
        let paths = try FileManager.default.subpathsOfDirectory(atPath: root.path)
        return try paths.filter { $0.hasSuffix(".swift") }.sorted().map { path in
            let parts = path.split(separator: "/")
            let text = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
            return LayerScan.File(folder: parts.count > 1 ? String(parts[0]) : ".", path: path, text: text)
        }
    }
}

/// Which top-level types each folder declares, and which files use a type of a folder above their own.
///
/// Declarations are read from lines that start in column 0 (`struct`, `class`, `enum`, `protocol`, `actor`,
/// `typealias`, after attributes and modifiers, private ones left out): nested types are reached through
/// their outer type's name.
/// Uses are identifier tokens outside comments and string literals (interpolations are code).
struct LayerScan {
    struct File {
        var folder: String
        var path: String
        var text: String
    }

    struct Violation: Equatable, CustomStringConvertible {
        var path: String
        var type: String
        var declaredIn: String
        var usedIn: String

        var description: String { "\(path) uses \(type), declared in \(declaredIn), a folder above \(usedIn)" }
    }

    /// Top-level type name → the folder that declares it.
    private(set) var declarations: [String: String] = [:]
    private(set) var violations: [Violation] = []
    private(set) var unplacedFolders: [String] = []

    init(order: [String], files: [File]) {
        let rank = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        let code = files.map { Self.code(of: $0.text) }
        for (file, text) in zip(files, code) {
            for name in Self.declaredTypes(in: text) { declarations[name] = file.folder }
        }
        unplacedFolders = Set(files.map(\.folder)).filter { rank[$0] == nil }.sorted()
        for (file, text) in zip(files, code) {
            guard let own = rank[file.folder] else { continue }
            for name in Set(Self.identifiers(in: text).map(String.init)).sorted() {
                guard let folder = declarations[name], let theirs = rank[folder], theirs > own else { continue }
                violations.append(Violation(path: file.path, type: name, declaredIn: folder, usedIn: file.folder))
            }
        }
    }

    private static let declarationKeywords: Set<Substring> = [
        "struct", "class", "enum", "protocol", "actor", "typealias",
    ]
    private static let modifiers: Set<Substring> = [
        "public", "package", "internal", "fileprivate", "private", "final", "indirect", "nonisolated",
    ]

    /// Names declared by lines that start in column 0.
    static func declaredTypes(in code: String) -> [String] {
        code.split(separator: "\n").compactMap { line -> String? in
            guard let first = line.first, first != " ", first != "\t" else { return nil }
            var words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })[...]
            while let word = words.first, word.hasPrefix("@") || modifiers.contains(word) {
                // A private type is its file's own: no other file can use it, whatever its name.
                if word == "private" || word == "fileprivate" { return nil }
                words.removeFirst()
            }
            guard let keyword = words.popFirst(), declarationKeywords.contains(keyword), let name = words.first
            else { return nil }
            let identifier = name.prefix(while: { $0.isLetter || $0.isNumber || $0 == "_" })
            return identifier.isEmpty ? nil : String(identifier)
        }
    }

    /// Every identifier token of `code`.
    static func identifiers(in code: String) -> [Substring] {
        code.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") })
            .filter { $0.first.map { !$0.isNumber } ?? false }
    }

    /// `source` with comments and the text of string literals blanked out (newlines kept, so lines stay
    /// lines); the code inside a string's interpolations is kept.
    static func code(of source: String) -> String {
        let s = Array(source.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(s.count)
        enum Context {
            case string(hashes: Int, multiline: Bool)
            case interpolation(depth: Int)
        }
        var stack: [Context] = []
        let quote = UInt8(ascii: "\"")
        let hash = UInt8(ascii: "#")
        let slash = UInt8(ascii: "/")
        let star = UInt8(ascii: "*")
        let newline = UInt8(ascii: "\n")
        let space = UInt8(ascii: " ")
        func at(_ i: Int) -> UInt8? { i < s.count ? s[i] : nil }
        func hashes(from i: Int) -> Int {
            var n = 0
            while at(i + n) == hash { n += 1 }
            return n
        }
        var i = 0
        while i < s.count {
            let c = s[i]
            if case .string(let count, let multiline)? = stack.last {
                let quotes = multiline ? 3 : 1
                if c == quote, (0..<quotes).allSatisfy({ at(i + $0) == quote }), hashes(from: i + quotes) >= count {
                    stack.removeLast()
                    i += quotes + count
                    out.append(space)
                    continue
                }
                if c == UInt8(ascii: "\\"), hashes(from: i + 1) >= count, let next = at(i + 1 + count) {
                    if next == UInt8(ascii: "(") {
                        stack.append(.interpolation(depth: 0))
                    }
                    i += 2 + count
                    out.append(space)
                    continue
                }
                out.append(c == newline ? newline : space)
                i += 1
                continue
            }
            if c == slash, at(i + 1) == slash {
                while i < s.count, s[i] != newline { i += 1 }
                continue
            }
            if c == slash, at(i + 1) == star {
                var depth = 0
                repeat {
                    if s[i] == slash, at(i + 1) == star {
                        depth += 1
                        i += 2
                    } else if s[i] == star, at(i + 1) == slash {
                        depth -= 1
                        i += 2
                    } else {
                        if s[i] == newline { out.append(newline) }
                        i += 1
                    }
                } while depth > 0 && i < s.count
                continue
            }
            let count = c == hash ? hashes(from: i) : 0
            if at(i + count) == quote {
                let multiline = at(i + count + 1) == quote && at(i + count + 2) == quote
                stack.append(.string(hashes: count, multiline: multiline))
                i += count + (multiline ? 3 : 1)
                out.append(space)
                continue
            }
            if case .interpolation(let depth)? = stack.last {
                if c == UInt8(ascii: "(") {
                    stack[stack.count - 1] = .interpolation(depth: depth + 1)
                } else if c == UInt8(ascii: ")") {
                    if depth == 0 {
                        stack.removeLast()
                        i += 1
                        out.append(space)
                        continue
                    }
                    stack[stack.count - 1] = .interpolation(depth: depth - 1)
                }
            }
            out.append(c)
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
