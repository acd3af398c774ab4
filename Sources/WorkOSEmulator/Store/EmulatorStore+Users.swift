/// `/user_management/users`: create, get, get by external id, list, update, delete.
extension EmulatorStore {
    private static let createFields: Set<String> = [
        "email", "first_name", "last_name", "name", "email_verified", "external_id", "metadata", "password",
        "password_hash", "password_hash_type", "password_salt_position", "ip_address", "user_agent", "signals_id",
    ]
    private static let updateFields: Set<String> = [
        "email", "first_name", "last_name", "name", "email_verified", "external_id", "metadata", "locale", "password",
        "password_hash", "password_hash_type", "password_salt_position",
    ]

    /// `POST /user_management/users` → 201 User.
    mutating func createUser(_ json: JSONValue?, now: Double) throws(APIError) -> JSONValue {
        let body = try RequestBody(json, allowed: Self.createFields)
        let email = EmailAddress.trimmed(try body.requiredString("email"))
        guard EmailAddress.isValid(email) else {
            throw .invalidParameters("email must be an email address.")
        }
        let firstName = try body.string("first_name")
        let lastName = try body.string("last_name")
        let name = try body.string("name")
        let emailVerified = try body.bool("email_verified") ?? false
        for key in ["ip_address", "user_agent", "signals_id"] { _ = try body.string(key) }
        let password = try Self.readPassword(body)
        let metadata = try FieldRules.metadata(body, limits: fieldLimits) ?? [:]
        let externalID = try FieldRules.externalID(body, limits: fieldLimits) ?? nil
        if let existing = userIDByEmail[EmailAddress.normalized(email)], users[existing] != nil {
            if legacyDuplicateEmailConflict {
                throw APIError(
                    status: 409, message: "A user with this email already exists", code: "user_already_exists")
            }
            throw .userCreation("email_not_available", "This email is not available.")
        }
        if let externalID, userIDByExternalID[externalID] != nil {
            throw .userCreation("external_id_already_used", "This external ID is already in use.")
        }
        let id = identifiers.make("user", now: now)
        let stamp = Timestamp.iso8601(now)
        let record = UserRecord(
            sequence: register(id), id: id, email: email, firstName: firstName, lastName: lastName, name: name,
            emailVerified: emailVerified, externalID: externalID, metadata: metadata, locale: nil,
            credential: password?.credential, passwordHashType: password?.hashType, createdAt: stamp, updatedAt: stamp)
        insert(record)
        return record.json
    }

    /// `GET /user_management/users/{id}`.
    func user(id: String) throws(APIError) -> JSONValue {
        guard let user = users[id] else { throw .notFound("User", id: id) }
        return user.json
    }

    /// `GET /user_management/users/external_id/{external_id}`.
    func user(externalID: String) throws(APIError) -> JSONValue {
        guard let id = userIDByExternalID[externalID], let user = users[id] else {
            throw .notFound("User", id: externalID)
        }
        return user.json
    }

    /// `GET /user_management/users` with `email` and `organization_id` filters.
    func listUsers(query: [String: [String]]) throws(APIError) -> JSONValue {
        let paging = try Pagination(query: query)
        let organizationID = query["organization_id"]?.last ?? query["organization"]?.last
        if query["email"] == nil, organizationID == nil {
            let page = try paging.page(
                userOrder, sequence: { sequenceByID[$0] ?? 0 }, id: { $0 }, sequenceOf: { sequenceByID[$0] })
            return Pagination.envelope(
                page.data.compactMap { users[$0]?.json }, before: page.before, after: page.after)
        }
        var candidates: [UserRecord]
        if let email = query["email"]?.last {
            candidates = userIDByEmail[EmailAddress.normalized(email)].flatMap { users[$0] }.map { [$0] } ?? []
        } else {
            candidates = userOrder.compactMap { users[$0] }
        }
        if let organizationID {
            guard organizations[organizationID] != nil else {
                throw .invalidParameters("Organization not found: '\(organizationID)'.")
            }
            let members = Set(
                (membershipIDsByOrganization[organizationID] ?? []).compactMap { memberships[$0]?.userID })
            candidates = candidates.filter { members.contains($0.id) }
        }
        let page = try paging.page(
            candidates, sequence: \.sequence, id: \.id, sequenceOf: { sequenceByID[$0] })
        return Pagination.envelope(page.data.map(\.json), before: page.before, after: page.after)
    }

    /// `PUT /user_management/users/{id}`: fields left out stay as they are.
    mutating func updateUser(id: String, _ json: JSONValue?, now: Double) throws(APIError) -> JSONValue {
        guard var user = users[id] else { throw .notFound("User", id: id) }
        let body = try RequestBody(json, allowed: Self.updateFields)
        let email = try body.string("email", nullable: false).map(EmailAddress.trimmed)
        if let email {
            guard EmailAddress.isValid(email) else { throw .badRequest("invalid_email", "The email is not valid.") }
            if let owner = userIDByEmail[EmailAddress.normalized(email)], owner != id {
                throw .badRequest("email_not_available", "This email is not available.")
            }
        }
        let firstName = try body.string("first_name", nullable: false)
        let lastName = try body.string("last_name", nullable: false)
        let name = try body.string("name", nullable: false)
        let emailVerified = try body.bool("email_verified", nullable: false)
        let locale = try body.string("locale")
        let password = try Self.readPassword(body)
        let metadata = try FieldRules.metadata(body, limits: fieldLimits)
        let externalID = try FieldRules.externalID(body, limits: fieldLimits)
        if let newExternalID = externalID ?? nil, let owner = userIDByExternalID[newExternalID], owner != id {
            throw .badRequest("external_id_already_used", "This external ID is already in use.")
        }
        if let email {
            userIDByEmail[EmailAddress.normalized(user.email)] = nil
            user.email = email
            userIDByEmail[EmailAddress.normalized(email)] = id
        }
        if let firstName { user.firstName = firstName }
        if let lastName { user.lastName = lastName }
        if let name { user.name = name }
        if let emailVerified { user.emailVerified = emailVerified }
        if body.has("locale") { user.locale = locale }
        if let metadata { user.metadata = metadata }
        if let externalID {
            if let old = user.externalID { userIDByExternalID[old] = nil }
            user.externalID = externalID
            if let externalID { userIDByExternalID[externalID] = id }
        }
        if let password {
            user.credential = password.credential
            user.passwordHashType = password.hashType
        }
        user.updatedAt = Timestamp.iso8601(now)
        users[id] = user
        return user.json
    }

    /// `DELETE /user_management/users/{id}`: also removes the user's memberships and factors.
    mutating func deleteUser(id: String) throws(APIError) {
        guard let user = users.removeValue(forKey: id) else { throw .notFound("User", id: id) }
        userOrder.removeAll { $0 == id }
        userIDByEmail[EmailAddress.normalized(user.email)] = nil
        if let externalID = user.externalID { userIDByExternalID[externalID] = nil }
        let owned = membershipIDsByUser[id] ?? []
        for membershipID in owned { removeMembership(id: membershipID) }
        let factorIDs = factorOrder.filter { factors[$0]?.userID == id }
        for factorID in factorIDs { factors[factorID] = nil }
        factorOrder.removeAll { factors[$0] == nil }
    }

    /// The password group of a create or update body, checked as the spec's mutually exclusive
    /// variants: nothing, `password` alone, or `password_hash` + `password_hash_type`
    /// (+ `password_salt_position` for `ssha256`).
    private static func readPassword(_ body: RequestBody) throws(APIError) -> (credential: String, hashType: String?)? {
        let password = try body.string("password")
        let hash = try body.string("password_hash")
        let hashType = try body.enumeration("password_hash_type", allowed: PasswordHashRules.types)
        let saltPosition = try body.enumeration("password_salt_position", allowed: ["prefix", "suffix"])
        if password != nil, hash != nil {
            throw .badRequest(
                "password_and_password_hash_provided", "Send either password or password_hash, not both.")
        }
        if password != nil, hashType != nil {
            throw .badRequest(
                "password_and_password_hash_type_provided", "Send either password or password_hash_type, not both.")
        }
        if saltPosition != nil, hash == nil {
            throw .badRequest(
                "password_salt_position_requires_password_hash",
                "password_salt_position can only be sent with password_hash.")
        }
        if let password {
            guard password.count >= 8 else {
                throw APIError(
                    status: 400, message: "Password does not meet strength requirements.",
                    code: "password_strength_error",
                    errors: [
                        .object([
                            "code": .string("password_too_short"),
                            "message": .string("Password must be at least 8 characters long."),
                        ])
                    ])
            }
            return (password, nil)
        }
        guard let hash else {
            if hashType != nil { throw .invalidParameters("password_hash_type needs password_hash.") }
            return nil
        }
        guard let hashType else { throw .invalidParameters("password_hash needs password_hash_type.") }
        if saltPosition != nil, hashType != "ssha256" {
            throw .invalidParameters("password_salt_position is only allowed with password_hash_type ssha256.")
        }
        guard PasswordHashRules.isValid(hash, type: hashType) else {
            throw .badRequest("invalid_password_hash", "The password hash is not a valid \(hashType) hash.")
        }
        return (hash, hashType)
    }
}

/// Sign-ins, which the API does not take as a request here: the control endpoint and tests simulate them.
extension EmulatorStore {
    /// Records that the user with `id` (or, when no user has that id, the address `id`) signed in at `at` (ISO
    /// 8601; now when nil): `last_sign_in_at` changes, `updated_at` does not. Answers the user.
    mutating func signIn(_ id: String, at: String?, now: Double) throws(APIError) -> JSONValue {
        let userID = users[id] != nil ? id : userIDByEmail[EmailAddress.normalized(id)]
        guard let userID, var user = users[userID] else { throw .notFound("User", id: id) }
        user.lastSignInAt = at ?? Timestamp.iso8601(now)
        users[userID] = user
        return user.json
    }
}
