/// One provider's reader: turns its export files into one ``ConversionOutcome`` per user.
///
/// A converter never drops a user: every user it reads becomes an outcome, converted or skipped with a
/// reason. Problems with the file as a whole (not the export it should be, unreadable) are thrown.
///
/// Everything the rest of the tool knows about a provider is declared here, in the converter's own file: its
/// name, what its files are, how to export them again and which options it reads. A new provider is one
/// file (the converter and its ``ConvertSource`` constant, added to ``ConvertSource/allCases``) plus
/// fixtures.
protocol ExportConverter: SendableMetatype {
    /// The name `convert` takes (`convert firebase …`), also the `source` of each skipped line.
    static var sourceName: String { get }
    /// The provider's name in sentences ("Firebase").
    static var displayName: String { get }
    /// What its files are, for `convert --help` ("a Clerk dashboard CSV export").
    static var files: String { get }
    /// What the export is, for the message that a file is not one ("is not …").
    static var exportDescription: String { get }
    /// How to get the right file, for the same message.
    static var exportHint: String { get }
    /// The provider-specific options it reads (``ConvertSource/options``).
    static var options: Set<ConvertOption> { get }

    /// A converter for one run; a problem with the settings (an unreadable password file) is thrown.
    init(settings: ConvertSettings) throws(ConvertError)
    /// Reads one export file and hands each user's outcome to `emit`, in file order.
    mutating func convert(file: String, emit: (ConversionOutcome) throws(ConvertError) -> Void) throws(ConvertError)
    /// Sentences for the summary that apply to the whole run (said once, not per user).
    var notes: [String] { get }
}

extension ExportConverter {
    var notes: [String] { [] }

    /// This converter's source.
    static var source: ConvertSource { ConvertSource(Self.self) }
}

/// One user as a converter starts on it: who it is (source id, address as exported, position), which every
/// outcome for it carries, and the first steps every converter takes.
struct UserIntake {
    /// The user's id in the source, which is also its external id.
    let sourceId: String?
    /// The address as the export has it.
    let email: String?
    /// Where the user is.
    let position: InputPosition

    /// The outcome with this user's identity.
    func outcome(_ result: ConversionOutcome.Result) -> ConversionOutcome {
        ConversionOutcome(sourceId: sourceId, email: email, position: position, result: result)
    }

    /// The user skipped for `summary`.
    func skipped(_ summary: String) -> ConversionOutcome {
        outcome(.skipped(ConversionReason(summary)))
    }

    /// The user with its address, the source id as external id, and whether the address is verified; `nil`
    /// when there is no address, which every source's users need.
    func start(emailVerified: Bool?) -> ConvertedUser? {
        guard let email else { return nil }
        var user = ConvertedUser(email: email)
        user.externalId = sourceId
        user.emailVerified = emailVerified
        return user
    }
}

/// The pieces every converter shares.
enum ConverterSupport {
    /// "file line N", the position outcomes and messages use.
    static func position(_ file: String, line: Int) -> InputPosition { InputPosition(file: file, line: line) }

    /// Why a user whose object names `key` twice is skipped: look-ups would take one of the two values
    /// silently, and which one the export meant cannot be known.
    static func repeatedKeyReason(_ key: String) -> String {
        "the user has the key \(DisplayText.quoted(key, limit: 40)) twice, so which value is meant is unclear; "
            + "fix the export and convert again"
    }

    /// The text of a member that should be a string: trimmed, `nil` when missing, null or blank.
    static func text(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let text)?:
            let trimmed = text.trimmingBlanks
            return trimmed.isEmpty ? nil : trimmed
        case .number(let number)?: return number
        default: return nil
        }
    }

    /// The prefix of every key carried from the user's own metadata (Auth0 `user_metadata`, Supabase
    /// `raw_user_meta_data`).
    ///
    /// Users can write that metadata themselves; carried under its own names beside the application's keys,
    /// a user's `org_id` or `role` would be indistinguishable in WorkOS from one the application set, and an
    /// application that authorizes on metadata would trust it. Under `user.` it stays visibly the user's.
    static let userMetadataPrefix = "user."

    /// Carries the application's (`app`) and the user's own (`own`) metadata objects as `--metadata` selects:
    /// the application's keys as they are, the user's under ``userMetadataPrefix``, the application's first
    /// so its keys win a clash; and reads the organization from `--org-from` and `--org-name-from` in
    /// whichever of the two each names (Auth0, Supabase).
    static func carryMetadata(
        app: JSONValue?, own: JSONValue?, settings: ConvertSettings, into user: inout ConvertedUser,
        losses: inout [ConversionReason]
    ) {
        var sources: [[JSONValue.Member]] = []
        if settings.metadata.includesApp, let members = app?.members { sources.append(members) }
        if settings.metadata.includesUser, let members = own?.members {
            sources.append(members.map { JSONValue.Member(key: userMetadataPrefix + $0.key, value: $0.value) })
        }
        let mapped = MetadataMapping(limits: settings.limits).map(sources)
        user.metadata = mapped.values
        if let loss = mapped.loss { losses.append(loss) }
        for (field, isName) in [(settings.orgFrom, false), (settings.orgNameFrom, true)] {
            organization(from: field, in: field?.scope == .user ? own : app, into: &user, name: isName, losses: &losses)
        }
    }

    /// The organization (external id and name) a metadata field names; a value that is not a string or a
    /// number is a loss.
    static func organization(
        from field: MetadataField?, in object: JSONValue?, into user: inout ConvertedUser, name: Bool,
        losses: inout [ConversionReason]
    ) {
        guard let field, let object else { return }
        guard let value = object.value(atPath: field.path) else { return }
        guard let text = text(value) else {
            if value != .null {
                losses.append(
                    ConversionReason(
                        "the organization field does not hold a string, so no organization was set",
                        detail: "\(field.path) is \(value.kindName)"))
            }
            return
        }
        if name { user.orgName = text } else { user.orgExternalId = text }
    }

    /// Opens `file` and runs `body` over its reader, turning what it throws into the fatal errors every JSON
    /// export gives: a syntax error means the file is not the source's export, anything else or a failed
    /// read that it cannot be read.
    static func readJSON(
        _ file: String, source: ConvertSource, _ body: (inout JSONStreamReader) throws -> Void
    ) throws(ConvertError) {
        var reader = try JSONStreamReader(path: file)
        do {
            try body(&reader)
        } catch let error as JSONSyntaxError {
            throw notAnExport(file, source, error)
        } catch let error as ConvertError {
            throw error
        } catch {
            throw .inputUnreadable(path: file, reason: "\(error)")
        }
        if let failure = reader.readFailure {
            throw .inputUnreadable(path: file, reason: SystemError.describe(failure))
        }
    }

    /// Reads and converts a JSON syntax error into the fatal error for `file`.
    static func notAnExport(_ file: String, _ source: ConvertSource, _ error: JSONSyntaxError) -> ConvertError {
        if error.isNestedTooDeep {
            return .notAnExport(
                path: file, source: source,
                reason:
                    "its JSON is nested more than \(JSONStreamReader.maximumDepth) levels deep at line \(error.line), "
                    + "deeper than convert reads (the limit is \(JSONStreamReader.maximumDepth) levels; no export "
                    + "nests that deep, so the file was probably made by something else)")
        }
        return .notAnExport(path: file, source: source, reason: "it is not valid JSON at \(error)")
    }
}
