/// How a write's Idempotency-Key is made.
public enum IdempotencyKey {
    /// The Idempotency-Key of one write: the same for every retry of it and after a resume, different for every
    /// other write, so WorkOS can recognise a repeated create.
    ///
    /// The key is `wi-<runId>-<record>-<operation>`, for example `wi-6f1c…-17-create-user`. The run id comes
    /// from the journal header, which a resume keeps. Characters other than ASCII letters, digits, `-` and `_`
    /// become `-`, and the key is cut to the 255 characters a header value may safely carry.
    ///
    /// - Parameters:
    ///   - runId: the journal's run id.
    ///   - record: the CSV record number of the row.
    ///   - operation: what the request does, e.g. `create-user` or `create-membership`.
    public static func make(runId: String, record: Int, operation: String) -> String {
        let key = "wi-\(Self.headerSafe(runId))-\(record)-\(Self.headerSafe(operation))"
        return String(key.prefix(255))
    }

    /// Replaces every character but ASCII letters, digits, `-` and `_` with `-`.
    private static func headerSafe(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let allowed =
                ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                || scalar == "-" || scalar == "_"
            scalars.append(allowed ? scalar : "-")
        }
        return String(scalars)
    }
}
