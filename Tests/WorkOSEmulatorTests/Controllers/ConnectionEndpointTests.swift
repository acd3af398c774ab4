import Foundation
import Testing

@testable import WorkOSEmulator

@Suite("SSO connections")
struct ConnectionEndpointTests {
    private static let certificate = "-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----"

    /// An organization's id, made with `domains`.
    private func organization(_ client: TestEmulator.Client, domains: [String] = []) async throws -> String {
        let data = domains.map { #"{"domain":"\#($0)","state":"pending"}"# }.joined(separator: ",")
        let answer = try await client.createOrganization(#"{"name":"Acme","domain_data":[\#(data)]}"#)
        return try #require(answer.json?["id"]?.stringValue)
    }

    @Test("a create answers the spec's Connection; the same external_id in the organization answers it again")
    func createIsIdempotentOnExternalId() async throws {
        let harness = try TestEmulator()
        try await harness.test { client in
            let org = try await organization(client, domains: ["acme.com"])
            let body =
                #"{"organization_id":"\#(org)","name":"Acme SAML","external_id":"okta-1","#
                + #""saml_options":{"idp_metadata_url":"https://idp.example.com/metadata.xml"}}"#
            let first = try await client.send("POST", "/connections", json: body)
            #expect(first.status == 201)
            // The create answers the spec's Connection, as the get does.
            #expect(
                SchemaValidator.shared.problems(first.json ?? .null, operation: "GET /connections/{id}", status: 200)
                    .isEmpty)
            #expect(first.json?["connection_type"] == .string("GenericSAML"))
            #expect(first.json?["domains"]?.arrayValue?.first?["domain"] == .string("acme.com"))
            let again = try await client.send("POST", "/connections", json: body)
            #expect(again.status == 200)
            #expect(again.json?["id"] == first.json?["id"])
            let other = try await organization(client)
            let elsewhere = try await client.send(
                "POST", "/connections", json: body.replacingOccurrences(of: org, with: other))
            #expect(elsewhere.status == 201)
            #expect(elsewhere.json?["id"] != first.json?["id"])
            let listed = try await client.send("GET", "/connections?organization_id=\(org)")
            #expect(problems(listed, "GET /connections").isEmpty)
            #expect(listed.json?["data"]?.arrayValue?.count == 1)
        }
    }

    @Test(
        "a create without a complete configuration is refused with 422",
        arguments: [
            #""saml_options":{"idp_sso_url":"https://idp.example.com/sso"}"#,
            #""saml_options":{"idp_sso_url":"https://idp.example.com/sso","idp_signing_certs":["MIIB"]}"#,
            #""oidc_options":{"client_id":"abc"}"#,
            #""saml_options":{"idp_metadata_url":"https://a"},"oidc_options":{"client_id":"a","discovery_endpoint":"b"}"#,
        ])
    func incomplete(options: String) async throws {
        let harness = try TestEmulator()
        try await harness.test { client in
            let org = try await organization(client)
            let answer = try await client.send(
                "POST", "/connections", json: #"{"organization_id":"\#(org)","external_id":"x",\#(options)}"#)
            #expect(answer.status == 422)
        }
    }

    @Test("manual SAML and OIDC connections are active, get and delete follow the spec")
    func getAndDelete() async throws {
        let harness = try TestEmulator()
        try await harness.test { client in
            let org = try await organization(client)
            let saml = try await client.send(
                "POST", "/connections",
                json: #"{"organization_id":"\#(org)","external_id":"s","saml_options":{"idp_entity_id":"e","#
                    + #""idp_sso_url":"https://idp.example.com/sso","idp_signing_certs":["\#(Self.certificate)"]}}"#)
            #expect(saml.json?["state"] == .string("active"))
            let oidc = try await client.send(
                "POST", "/connections",
                json: #"{"organization_id":"\#(org)","external_id":"o","oidc_options":{"client_id":"c","#
                    + #""client_secret":"top-secret","discovery_endpoint":"https://idp.example.com/.well-known"}}"#)
            #expect(oidc.json?["connection_type"] == .string("GenericOIDC"))
            #expect(oidc.json?.serialized().contains("top-secret") == false)
            let id = try #require(oidc.json?["id"]?.stringValue)
            let got = try await client.send("GET", "/connections/\(id)")
            #expect(problems(got, "GET /connections/{id}").isEmpty)
            #expect(try await client.send("DELETE", "/connections/\(id)").status == 204)
            #expect(try await client.send("GET", "/connections/\(id)").status == 404)
            let page = try await client.send("GET", "/connections?limit=1&order=asc")
            #expect(page.json?["data"]?.arrayValue?.first?["id"] == saml.json?["id"])
        }
    }

    @Test("with the feature off, POST /connections answers 404; the control endpoint turns it back on")
    func featureOff() async throws {
        let harness = try TestEmulator { $0.ssoConnectionsEnabled = false }
        try await harness.test { client in
            let org = try await organization(client)
            let body =
                #"{"organization_id":"\#(org)","external_id":"x","#
                + #""oidc_options":{"client_id":"c","discovery_endpoint":"https://d"}}"#
            #expect(try await client.send("POST", "/connections", json: body).status == 404)
            let config = try await client.send("PUT", "/_emulate/config", json: #"{"sso_connections":true}"#)
            #expect(config.status == 200)
            #expect(try await client.send("POST", "/connections", json: body).status == 201)
        }
    }
}
