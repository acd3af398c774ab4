import Foundation
import Testing

@testable import ImportCore

@Suite("Convert sources: what each converter declares")
struct ConvertSourceTests {
    @Test("every source is listed once, in the order help lists them, and found by its name")
    func listed() throws {
        #expect(ConvertSource.allCases.map(\.rawValue) == ["firebase", "auth0", "clerk", "cognito", "supabase"])
        #expect(ConvertSource.allCases.map(\.displayName) == ["Firebase", "Auth0", "Clerk", "Cognito", "Supabase"])
        for source in ConvertSource.allCases {
            #expect(ConvertSource(rawValue: source.rawValue) == source)
            #expect(!source.files.isEmpty && !source.exportDescription.isEmpty && !source.exportHint.isEmpty)
        }
        #expect(ConvertSource(rawValue: "okta") == nil)
        #expect(Set(ConvertSource.allCases).count == ConvertSource.allCases.count)
    }

    @Test(
        "each source takes the options its converter reads",
        arguments: [
            (
                ConvertSource.firebase,
                [
                    ConvertOption.hashConfig, .hashParameters, .metadata, .orgFrom, .orgNameFrom, .nameSplit,
                    .includeDisabled,
                ]
            ),
            (
                ConvertSource.auth0,
                [.passwords, .metadata, .orgFrom, .orgNameFrom, .allowUserMetadataOrg, .nameSplit, .includeDisabled]
            ),
            (ConvertSource.clerk, []),
            (ConvertSource.cognito, [.metadataAttribute, .orgFrom, .orgNameFrom, .nameSplit, .includeDisabled]),
            (
                ConvertSource.supabase,
                [.metadata, .orgFrom, .orgNameFrom, .allowUserMetadataOrg, .nameSplit, .includeDisabled]
            ),
        ] as [(ConvertSource, [ConvertOption])])
    func options(source: ConvertSource, options: [ConvertOption]) {
        #expect(source.options == Set(options))
    }

    @Test("a source is written in files as its name, and read back from it")
    func coding() throws {
        let data = try JSONEncoder().encode([ConvertSource.cognito])
        #expect(String(decoding: data, as: UTF8.self) == #"["cognito"]"#)
        #expect(try JSONDecoder().decode([ConvertSource].self, from: data) == [.cognito])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([ConvertSource].self, from: Data(#"["x"]"#.utf8))
        }
    }

    @Test("a file that is not the source's export is named with the source's own description and hint")
    func notAnExportMessage() {
        let error = ConvertError.notAnExport(path: "u.csv", source: .clerk, reason: "it has no id column")
        #expect(
            error.description
                == "u.csv is not a Clerk dashboard CSV export: it has no id column. Download the CSV from the Clerk "
                + "dashboard (Settings → User exports).")
    }
}
