import Foundation
import ImportCore
import Testing
import WorkOSClient

/// The organizations file's cells: domains with their states, and how an existing organization differs.
@Suite("Organizations file: domain cells, rows and differences")
struct OrganizationFileUnitTests {
    @Test(
        "a domains cell reads commas or semicolons, each domain pending unless marked verified",
        arguments: [
            ("acme.com", [("acme.com", false)]),
            ("acme.com:verified,acme.io", [("acme.com", true), ("acme.io", false)]),
            ("acme.com; acme.io:verified ;", [("acme.com", false), ("acme.io", true)]),
            (" ACME.com:Verified , acme.com", [("acme.com", true)]),
            ("acme.com:pending;sub.acme.co.uk", [("acme.com", false), ("sub.acme.co.uk", false)]),
            ("", []),
        ])
    func domainCell(cell: String, expected: [(String, Bool)]) throws {
        let domains = try DomainCell.parse(cell)
        #expect(domains.map(\.domain) == expected.map(\.0))
        #expect(domains.map(\.verified) == expected.map(\.1))
    }

    @Test("--verify-domains marks every domain verified, an explicit :pending too")
    func verifyAll() throws {
        let domains = try DomainCell.parse("acme.com,acme.io:pending", verifyAll: true)
        let allVerified = domains.allSatisfy { $0.verified }
        #expect(allVerified)
        #expect(domains.map(\.state) == ["verified", "verified"])
    }

    @Test(
        "a domains cell with an entry that is not a domain, or an unknown state, is refused with a reason",
        arguments: [
            ("acme", "a domain is not a domain name"),
            ("acme.com:trusted", "a domain has an unknown state"),
            ("-acme.com", "a domain is not a domain name"),
            ("acme..com", "a domain is not a domain name"),
            ("acme.com/path", "a domain is not a domain name"),
            ("https://acme.com", "a domain has an unknown state"),
        ])
    func domainCellRefused(cell: String, reason: String) {
        #expect(throws: DomainCell.Failure.self) { try DomainCell.parse(cell) }
        do {
            _ = try DomainCell.parse(cell)
        } catch {
            #expect(error.reason == reason)
        }
    }

    @Test("the public mail providers are known in any case, company domains are not")
    func publicDomains() {
        #expect(PublicEmailDomains.contains("gmail.com"))
        #expect(PublicEmailDomains.contains("Outlook.COM"))
        #expect(PublicEmailDomains.contains("proton.me"))
        #expect(!PublicEmailDomains.contains("acme.com"))
        #expect(!PublicEmailDomains.contains("mail.acme.com"))
    }

    @Test(
        "rows are checked whole: public verified domains, repeated organizations and verified domains fail with their line"
    )
    func fileRows() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("orgs-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try """
        org_id,org_external_id,org_name,domains,metadata
        ,acme,Acme,acme.com:verified,"{""tier"":""gold""}"
        ,mail,Mail,gmail.com:verified,
        ,acme,Acme again,acme.io,
        ,globex,Globex,acme.com:verified,
        ,,Nameless,nameless.com,
        ,big,Big,,"{""a"":""1"",""b"":""2"",""c"":""3"",""d"":""4"",""e"":""5"",""f"":""6"",""g"":""7"",""h"":""8"",""i"":""9"",""j"":""10"",""k"":""11""}"
        org_123,,,,

        """.write(toFile: path, atomically: true, encoding: .utf8)
        let file = try OrganizationFile.read(path: path, limits: .documented, verifyDomains: false)
        #expect(file.definitions.map(\.line) == [2, 8])
        #expect(file.definitions.first?.metadata == ["tier": "gold"])
        #expect(file.definitions.last?.organization == .id("org_123"))
        #expect(file.problems.map(\.line) == [3, 4, 5, 6, 7])
        #expect(
            file.problems.map(\.reason) == [
                "marks a public email provider's domain verified", "names an organization an earlier row names",
                "marks verified a domain an earlier row verifies", "the row has neither org_external_id nor org_id",
                "metadata has too many keys",
            ])
        let spec = try OrganizationFile.read(path: path, limits: .spec, verifyDomains: false)
        #expect(spec.definitions.map(\.line) == [2, 7, 8])
        #expect(spec.fingerprint != file.fingerprint)
    }

    @Test(
        "an existing organization differs by its missing domains, domains to verify and metadata; the update keeps the rest"
    )
    func difference() throws {
        let organization = WorkOSOrganization(
            id: "org_1", name: "Acme",
            domains: [
                OrganizationDomainData(domain: "acme.com", state: "pending"),
                OrganizationDomainData(domain: "old.com", state: "verified"),
            ],
            metadata: ["tier": "gold", "keep": "yes"])
        let definition = OrganizationDefinition(
            line: 2, externalId: "acme", name: "Acme",
            domains: [
                OrganizationDomain(domain: "acme.com", verified: true),
                OrganizationDomain(domain: "acme.io", verified: false),
                OrganizationDomain(domain: "old.com", verified: false),
            ],
            metadata: ["tier": "platinum"])
        let difference = OrganizationDifference(organization: organization, definition: definition)
        #expect(difference.missingDomains.map(\.domain) == ["acme.io"])
        #expect(difference.domainsToVerify == ["acme.com"])
        #expect(difference.metadataKeys == ["tier"])
        let update = try #require(difference.update)
        #expect(
            update.domainData == [
                OrganizationDomainData(domain: "acme.com", state: "verified"),
                OrganizationDomainData(domain: "old.com", state: "verified"),
                OrganizationDomainData(domain: "acme.io", state: "pending"),
            ])
        #expect(update.metadata == ["tier": "platinum", "keep": "yes"])

        let same = OrganizationDefinition(
            line: 2, externalId: "acme", domains: [OrganizationDomain(domain: "old.com", verified: false)],
            metadata: ["keep": "yes"])
        #expect(OrganizationDifference(organization: organization, definition: same).update == nil)
    }
}
