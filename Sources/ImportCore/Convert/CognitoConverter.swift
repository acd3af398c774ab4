/// Reads the JSON `aws cognito-idp list-users --user-pool-id … --output json` prints, one page per file
/// (`{"Users":[…],"PaginationToken":…}`), streamed.
///
/// Per user, from its `Attributes` by name: `email` (a user without one is skipped), `email_verified`
/// (`"true"`/`"false"`), `given_name`, `family_name` (else `name` split by `--name-split`), `sub` as
/// external_id (else `Username`); `--metadata-attribute` names attributes to carry into metadata
/// (`custom:plan` becomes the key `plan`; `custom:*` takes every custom attribute); `--org-from custom:…`
/// names the organization. `Enabled: false` users are skipped unless `--include-disabled`.
///
/// Cognito cannot export password hashes at all, so no user has one; that is said once in the summary,
/// not per user, and the README says what users then do (WorkOS's password reset).
struct CognitoConverter: ExportConverter {
    static let sourceName = "cognito"
    static let displayName = "Cognito"
    static let files = "one or more JSON pages of `aws cognito-idp list-users`"
    static let exportDescription = "an `aws cognito-idp list-users` JSON page"
    static let exportHint =
        "Save each page of `aws cognito-idp list-users --user-pool-id … --output json` to its own file."
    static let options: Set<ConvertOption> = [.metadataAttribute, .orgFrom, .orgNameFrom, .nameSplit, .includeDisabled]

    let settings: ConvertSettings
    private var converted = 0
    /// Where each user (by `sub`, else `Username`) was first read: overlapping pages hold the same user
    /// twice, which is one user to convert once, not two users sharing an address.
    private var firstSeen: [String: InputPosition] = [:]

    init(settings: ConvertSettings) {
        self.settings = settings
    }

    var notes: [String] {
        [
            "Cognito cannot export password hashes, so none of the \(converted) converted users has a password: "
                + "they sign in once through WorkOS's password reset (see the README's \"Migrating from Cognito\")."
        ]
    }

    mutating func convert(file: String, emit: (ConversionOutcome) throws(ConvertError) -> Void) throws(ConvertError) {
        try ConverterSupport.readJSON(file, source: .cognito) { reader in
            guard try reader.enterArray(inObjectUnder: "Users") else {
                throw ConvertError.notAnExport(path: file, source: .cognito, reason: "it has no \"Users\" array")
            }
            while let (value, line) = try reader.nextElement() {
                let position = ConverterSupport.position(file, line: line)
                var outcome = outcome(value, position: position)
                if let id = outcome.sourceId {
                    if let first = firstSeen[id] {
                        outcome.result = .skipped(
                            ConversionReason(
                                "the same Cognito user (its sub or Username) is on an earlier page too, as pages "
                                    + "that overlap hold it twice; it was converted once",
                                detail: "first at \(first)"))
                    } else {
                        firstSeen[id] = position
                    }
                }
                if case .converted = outcome.result { converted += 1 }
                try emit(outcome)
            }
            try reader.finishObject()
        }
    }

    /// One user's outcome.
    func outcome(_ record: JSONValue, position: InputPosition) -> ConversionOutcome {
        var attributes: [JSONValue.Member] = []
        if case .array(let list)? = record["Attributes"] {
            for attribute in list {
                if let name = attribute["Name"]?.string, let value = attribute["Value"] {
                    attributes.append(JSONValue.Member(key: name, value: value))
                }
            }
        }
        let byName = JSONValue.object(attributes)
        let sub = ConverterSupport.text(byName["sub"]) ?? ConverterSupport.text(record["Username"])
        let intake = UserIntake(sourceId: sub, email: ConverterSupport.text(byName["email"]), position: position)
        guard record.members != nil else { return intake.skipped("the entry in the Users array is not an object") }
        if let key = record.repeatedKey { return intake.skipped(ConverterSupport.repeatedKeyReason(key)) }
        guard var user = intake.start(emailVerified: byName["email_verified"]?.bool) else {
            return intake.skipped("no email attribute (WorkOS users need one)")
        }
        if record["Enabled"]?.bool == false && !settings.includeDisabled {
            return intake.skipped("disabled in Cognito (--include-disabled converts them)")
        }
        var losses: [ConversionReason] = []
        user.firstName = ConverterSupport.text(byName["given_name"])
        user.lastName = ConverterSupport.text(byName["family_name"])
        if user.firstName == nil && user.lastName == nil, let name = ConverterSupport.text(byName["name"]) {
            (user.firstName, user.lastName) = settings.nameSplit.split(name)
        }
        var carried: [JSONValue.Member] = []
        for wanted in settings.metadataAttributes {
            if wanted == "custom:*" {
                for attribute in attributes where attribute.key.hasPrefix("custom:") {
                    carried.append(JSONValue.Member(key: String(attribute.key.dropFirst(7)), value: attribute.value))
                }
            } else if let value = byName[wanted] {
                let key = wanted.hasPrefix("custom:") ? String(wanted.dropFirst(7)) : wanted
                carried.append(JSONValue.Member(key: key, value: value))
            }
        }
        if !carried.isEmpty {
            let mapped = MetadataMapping(limits: settings.limits).map([carried])
            user.metadata = mapped.values
            if let loss = mapped.loss { losses.append(loss) }
        }
        if let field = settings.orgFrom, let value = ConverterSupport.text(byName[field.path]) {
            user.orgExternalId = value
        }
        if let field = settings.orgNameFrom, let value = ConverterSupport.text(byName[field.path]) {
            user.orgName = value
        }
        if case .array(let factors)? = record["MFAOptions"], !factors.isEmpty {
            losses.append(ConversionReason("SMS second factors (MFAOptions) are not carried; the user enrolls again"))
        }
        return intake.outcome(.converted(user, withoutPassword: nil, losses: losses))
    }
}

extension ConvertSource {
    /// `aws cognito-idp list-users` JSON pages.
    public static let cognito = CognitoConverter.source
}
