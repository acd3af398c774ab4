import Testing

@testable import WorkOSEmulator

@Suite("Pagination")
struct PaginationTests {
    /// A harness with `count` users created in order u0, u1, ...; returns their ids in creation order.
    private func seeded(_ count: Int) async throws -> (TestEmulator, [String]) {
        let harness = try TestEmulator()
        let ids = try await harness.test { client in
            var ids: [String] = []
            for index in 0..<count {
                ids.append(try await client.createUser(#"{"email":"u\#(index)@example.com"}"#).id)
            }
            return ids
        }
        return (harness, ids)
    }

    private func ids(_ answer: Answer) -> [String] {
        answer.json?["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
    }

    private func cursor(_ answer: Answer, _ name: String) -> String? {
        answer.json?["list_metadata"]?[name]?.stringValue
    }

    @Test("walking after= with no order visits every user once, newest first, and ends with after null")
    func walkDescending() async throws {
        let (harness, created) = try await seeded(7)
        try await harness.test { client in
            var seen: [String] = []
            var after: String?
            var pages = 0
            repeat {
                let target = "/user_management/users?limit=3" + (after.map { "&after=\($0)" } ?? "")
                let page = try await client.send("GET", target)
                #expect(page.status == 200)
                #expect(problems(page, "GET /user_management/users").isEmpty)
                seen += ids(page)
                after = cursor(page, "after")
                pages += 1
            } while after != nil && pages < 10
            #expect(seen == created.reversed())
            #expect(pages == 3)
        }
    }

    @Test("order=asc lists oldest first; before= walks back to the previous page")
    func ascendingAndBefore() async throws {
        let (harness, created) = try await seeded(5)
        try await harness.test { client in
            let first = try await client.send("GET", "/user_management/users?order=asc&limit=2")
            #expect(ids(first) == Array(created[0..<2]))
            #expect(cursor(first, "before") == nil)
            let second = try await client.send("GET", "/user_management/users?order=asc&limit=2&after=\(created[1])")
            #expect(ids(second) == Array(created[2..<4]))
            #expect(cursor(second, "before") == created[2])
            let back = try await client.send("GET", "/user_management/users?order=asc&limit=2&before=\(created[2])")
            #expect(ids(back) == Array(created[0..<2]))
            #expect(cursor(back, "before") == nil)
            #expect(cursor(back, "after") == created[1])
        }
    }

    @Test("order=normal lists newest first with before= fetching older records")
    func normalOrder() async throws {
        let (harness, created) = try await seeded(4)
        try await harness.test { client in
            let first = try await client.send("GET", "/user_management/users?order=normal&limit=2")
            #expect(ids(first) == [created[3], created[2]])
            let older = try #require(cursor(first, "before"))
            let next = try await client.send("GET", "/user_management/users?order=normal&limit=2&before=\(older)")
            #expect(ids(next) == [created[1], created[0]])
        }
    }

    @Test("an exact last page has after null; an empty list has both cursors null")
    func edges() async throws {
        let (harness, created) = try await seeded(4)
        try await harness.test { client in
            let all = try await client.send("GET", "/user_management/users?limit=4")
            #expect(ids(all).count == 4 && cursor(all, "after") == nil && cursor(all, "before") == nil)
            let past = try await client.send("GET", "/user_management/users?after=\(created[0])")
            #expect(ids(past).isEmpty && cursor(past, "after") == nil)
        }
        try await TestEmulator().test { client in
            let none = try await client.send("GET", "/organizations")
            #expect(ids(none).isEmpty && none.json?["list_metadata"]?["after"] == .null)
        }
    }

    @Test("a cursor whose user was deleted keeps its place")
    func deletedCursor() async throws {
        let (harness, created) = try await seeded(5)
        try await harness.test { client in
            try await client.send("DELETE", "/user_management/users/\(created[2])")
            let page = try await client.send("GET", "/user_management/users?limit=10&after=\(created[2])")
            #expect(ids(page) == [created[1], created[0]])
        }
    }

    @Test(
        "bad paging parameters are 422",
        arguments: ["limit=0", "limit=101", "limit=ten", "order=up", "after=user_never", "after=a&before=b"])
    func badParameters(query: String) async throws {
        let (harness, _) = try await seeded(1)
        // The request is bad on purpose and this test is about the route's own answer, which strict mode
        // would give first.
        harness.state.setStrict(false)
        try await harness.test { client in
            let answer = try await client.send("GET", "/user_management/users?" + query)
            #expect(answer.status == 422)
            #expect(answer.code == "invalid_request_parameters")
        }
    }

    @Test("limit defaults to 10")
    func defaultLimit() async throws {
        let (harness, _) = try await seeded(12)
        try await harness.test { client in
            let page = try await client.send("GET", "/user_management/users")
            #expect(ids(page).count == 10)
            #expect(cursor(page, "after") != nil)
        }
    }
}
