import WorkOSClient

/// A problem that stops the whole import (exit code 2). Row problems are never thrown: they are
/// ``RowFailure`` values.
public enum ImportError: Error, CustomStringConvertible {
    case csv(CSVReaderError)
    case header(HeaderError)
    case journal(JournalError)
    case output(OutputFileError)
    /// `--org-id` or `--org-external-id` names no organization.
    case organizationNotFound(String)
    /// Finding or creating the organization failed for another reason.
    case organization(String, WorkOSClientError)
    /// WorkOS refused the API key (401) or its permissions (403).
    case unauthorized(WorkOSClientError)
    /// WorkOS could not be reached, after every retry.
    case unreachable(WorkOSClientError)
    /// The check before the first row found the environment unusable; the sentence says why and what to do.
    case preflight(String)
    /// The flags or paths cannot work together; the sentence says what to change.
    case usage(String)

    public var description: String {
        switch self {
        case .csv(let error): "\(error)"
        case .header(let error): "\(error)"
        case .journal(let error): "\(error)"
        case .output(let error): "\(error)"
        case .preflight(let message), .usage(let message): message
        case .organizationNotFound(let what):
            "Organization \(what) was not found in WorkOS. Check the id, or use --org-external-id with "
                + "--create-org-if-missing --org-name NAME to create it."
        case .organization(let what, let error):
            if let status = error.httpStatus, (400..<500).contains(status) {
                "WorkOS refused organization \(what): \(error.summary). Check the value: an external id is ASCII "
                    + "only, at most 64 characters."
            } else {
                "Could not find or create organization \(what): \(error.summary). Check the network and try again."
            }
        case .unreachable(let error) where error.unresolvedHost != nil:
            "The host \(error.unresolvedHost ?? "") was not found: its name does not resolve. Check --base-url / "
                + "WORKOS_BASE_URL for a typo and that this machine can look names up (DNS), then run the same "
                + "command again: it continues where it stopped."
        case .unreachable(let error):
            "Cannot reach the WorkOS API (\(error.summary)). Check the network, or --base-url / WORKOS_BASE_URL, "
                + "then run the same command again: it continues where it stopped."
        case .unauthorized(let error):
            "WorkOS refused the API key (\(error.summary)). Check WORKOS_SECRET_KEY: it must be a secret key "
                + "(sk_…) of the environment you import into, with User Management access."
        }
    }
}
