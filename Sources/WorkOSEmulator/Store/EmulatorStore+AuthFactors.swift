/// `/user_management/users/{id}/auth_factors` (TOTP enrollment and the user's factors) and deleting a factor.
extension EmulatorStore {
    private static let enrollFields: Set<String> = ["type", "totp_issuer", "totp_user", "totp_secret"]

    /// Enrolls a TOTP factor and answers `{authentication_factor, authentication_challenge}`; the
    /// only answer that carries the secret. A given `totp_secret` must be base32.
    mutating func enrollFactor(userID: String, _ json: JSONValue?, now: Double) throws(APIError) -> JSONValue {
        let body = try RequestBody(json, allowed: Self.enrollFields)
        guard try body.enumeration("type", allowed: ["totp"]) != nil else {
            throw .invalidParameters("type is required and must be totp.")
        }
        let issuer = try body.string("totp_issuer", nullable: false)
        let accountName = try body.string("totp_user", nullable: false)
        let secret = try body.string("totp_secret", nullable: false)
        if let secret, !AuthFactorRecord.isBase32(secret) {
            throw .invalidParameters("totp_secret must be base32 text (A-Z and 2-7), at least 16 characters.")
        }
        guard let user = users[userID] else { throw .notFound("User", id: userID) }
        let id = identifiers.make("auth_factor", now: now)
        let stamp = Timestamp.iso8601(now)
        let record = AuthFactorRecord(
            sequence: register(id), id: id, userID: userID, issuer: issuer ?? "WorkOS Emulator",
            user: accountName ?? user.email, secret: secret?.uppercased() ?? AuthFactorRecord.makeSecret(),
            createdAt: stamp)
        factors[id] = record
        factorOrder.append(id)
        let challengeID = identifiers.make("auth_challenge", now: now)
        return .object([
            "authentication_factor": record.json(includeSecret: true),
            "authentication_challenge": .object([
                "object": .string("authentication_challenge"),
                "id": .string(challengeID),
                "authentication_factor_id": .string(id),
                "expires_at": .string(Timestamp.iso8601(now + 600)),
                "created_at": .string(stamp),
                "updated_at": .string(stamp),
            ]),
        ])
    }

    /// `GET /user_management/users/{id}/auth_factors`: factors without secrets, paginated.
    func listFactors(userID: String, query: [String: [String]]) throws(APIError) -> JSONValue {
        guard users[userID] != nil else { throw .notFound("User", id: userID) }
        let paging = try Pagination(query: query)
        let candidates = factorOrder.compactMap { factors[$0] }.filter { $0.userID == userID }
        let page = try paging.page(candidates, sequence: \.sequence, id: \.id, sequenceOf: { sequenceByID[$0] })
        return Pagination.envelope(
            page.data.map { $0.json(includeSecret: false) }, before: page.before, after: page.after)
    }

    /// `DELETE /auth/factors/{id}`: the factor is gone; 404 for an unknown id.
    mutating func deleteFactor(id: String) throws(APIError) {
        guard factors.removeValue(forKey: id) != nil else { throw .notFound("Authentication Factor", id: id) }
        factorOrder.removeAll { $0 == id }
    }
}
