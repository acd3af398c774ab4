/// Reads the JSON `firebase auth:export users.json --format=json` writes: one object whose `users` array
/// holds every account, streamed one user at a time.
///
/// Per user: `localId` becomes external_id; `email` (required: a user without one is skipped);
/// `emailVerified`; `displayName` split by `--name-split`; `passwordHash` and `salt` (base64, often
/// URL-safe) become a firebase-scrypt hash with the project's parameters from `--hash-config`; custom
/// claims (`customAttributes`, a JSON string) go into metadata unless `--metadata none`/`user`, and can name
/// the organization with `--org-from`. `disabled` users are skipped unless `--include-disabled`. Second
/// factors (`mfaInfo`) and phone numbers cannot be carried and are listed. A file with the `users` key
/// twice is refused (exit 2) rather than one array read; a user with one of its keys twice is skipped
/// and listed, since which value is meant cannot be known.
struct FirebaseConverter: ExportConverter {
    static let sourceName = "firebase"
    static let displayName = "Firebase"
    static let files = "the JSON of `firebase auth:export users.json --format=json` (with --hash-config)"
    static let exportDescription = "a Firebase export (the JSON `firebase auth:export --format=json` writes)"
    static let exportHint = "Export again with `firebase auth:export users.json --format=json`."
    static let options: Set<ConvertOption> = [
        .hashConfig, .hashParameters, .metadata, .orgFrom, .orgNameFrom, .nameSplit, .includeDisabled,
    ]

    let settings: ConvertSettings

    mutating func convert(file: String, emit: (ConversionOutcome) throws(ConvertError) -> Void) throws(ConvertError) {
        try ConverterSupport.readJSON(file, source: .firebase) { reader in
            guard try reader.enterArray(inObjectUnder: "users") else {
                throw ConvertError.notAnExport(path: file, source: .firebase, reason: "it has no \"users\" array")
            }
            // Each user is checked in full but only the members below are made into values.
            while let (line, isObject) = try reader.nextElementInPlace() {
                let position = ConverterSupport.position(file, line: line)
                try emit(reader.withElement { outcome($0, isObject: isObject, position: position) })
            }
            if let line = try reader.finishObject(repeated: "users") {
                throw ConvertError.notAnExport(
                    path: file, source: .firebase,
                    reason:
                        "it has a second \"users\" key at line \(line), and reading only one of the two arrays "
                        + "would drop users; put every user in one \"users\" array, or split the file in two and "
                        + "name both files")
            }
        }
    }

    /// One user's outcome.
    func outcome(_ record: JSONElementView, isObject: Bool, position: InputPosition) -> ConversionOutcome {
        let localId = record["localId"]?.trimmedText
        let intake = UserIntake(sourceId: localId, email: record["email"]?.trimmedText, position: position)
        guard isObject else { return intake.skipped("the entry in the users array is not an object") }
        if let key = record.repeatedKey {
            return intake.skipped(ConverterSupport.repeatedKeyReason(key))
        }
        guard var user = intake.start(emailVerified: record["emailVerified"]?.bool) else {
            return intake.skipped("no email address (WorkOS users need one)")
        }
        if record["disabled"]?.bool == true && !settings.includeDisabled {
            return intake.skipped("disabled in Firebase (--include-disabled converts them)")
        }
        var losses: [ConversionReason] = []
        if let displayName = record["displayName"]?.trimmedText {
            (user.firstName, user.lastName) = settings.nameSplit.split(displayName)
        }
        let withoutPassword = password(record, into: &user)
        if let claims = record["customAttributes"]?.trimmedText {
            var claimsReader = JSONStreamReader(bytes: Array(claims.utf8))
            if let parsed = try? claimsReader.readValue(), let members = parsed.members {
                if settings.metadata.includesApp {
                    let mapped = MetadataMapping(limits: settings.limits).map([members])
                    user.metadata = mapped.values
                    if let loss = mapped.loss { losses.append(loss) }
                }
                ConverterSupport.organization(
                    from: settings.orgFrom, in: parsed, into: &user, name: false, losses: &losses)
                ConverterSupport.organization(
                    from: settings.orgNameFrom, in: parsed, into: &user, name: true, losses: &losses)
            } else {
                losses.append(
                    ConversionReason("customAttributes is not a JSON object, so no custom claims were carried"))
            }
        }
        if record["mfaInfo"]?.isNonEmptyArray == true {
            losses.append(
                ConversionReason("second factors (mfaInfo) are not in a form WorkOS takes; the user enrolls again"))
        }
        if record["phoneNumber"]?.trimmedText != nil {
            losses.append(ConversionReason("phone numbers are not carried (WorkOS users have none)"))
        }
        return intake.outcome(.converted(user, withoutPassword: withoutPassword, losses: losses))
    }

    private func password(_ record: JSONElementView, into user: inout ConvertedUser) -> ConversionReason? {
        guard let hashValue = record["passwordHash"], !hashValue.isNull else {
            return noPasswordReason(record)
        }
        guard let hash = hashValue.string, !hash.isEmpty else {
            return ConversionReason(
                "Firebase exported an empty password hash (the account was imported into Firebase with another "
                    + "algorithm and has not signed in since)")
        }
        guard let config = settings.hashConfig else {
            return ConversionReason(
                "the export has a password hash but no --hash-config was given (add it to keep passwords)")
        }
        // passwordHash(hash:salt:) returns only strings of the form PasswordHashFormat accepts.
        guard let converted = config.passwordHash(hash: hash, salt: record["salt"]?.string ?? "") else {
            return ConversionReason("the password hash or salt is not base64")
        }
        user.passwordHash = converted
        user.passwordHashType = .firebaseScrypt
        return nil
    }

    private func noPasswordReason(_ record: JSONElementView) -> ConversionReason {
        var providers: [String] = []
        if case .array(let infos)? = record["providerUserInfo"]?.value {
            for info in infos {
                if let id = ConverterSupport.text(info["providerId"]), id != "password" { providers.append(id) }
            }
        }
        guard !providers.isEmpty else { return ConversionReason("no password in the export") }
        return ConversionReason(
            "no password: signs in with another provider (they sign in the same way through WorkOS, or reset)",
            detail: providers.joined(separator: ", "))
    }
}

extension ConvertSource {
    /// `firebase auth:export --format=json`.
    public static let firebase = FirebaseConverter.source
}
