import Foundation
import WorkOSClient

extension RowExecutor {
    /// The factor step: the row's TOTP secret is enrolled, unless the user has a TOTP factor already (or an
    /// earlier row of the email settled it).
    func enrollFactor(_ attempt: RowAttempt, user: SettledUser, result: RowResult) async throws(RowStop)
        -> RowResult
    {
        guard let totp = attempt.row.totp else { return result }
        var result = result
        if attempt.earlier?.factorSettled == true {
            result.factor = .existing
            return result
        }
        let id = user.user.id
        switch await ensureFactor(
            totp, userId: id, row: attempt.row, mayExist: !user.fresh, userIsOurs: user.outcome == .imported)
        {
        case .success(let factor):
            result.factor = factor.outcome
            result.factorId = factor.id
            return result
        case .failure(let failure):
            if attempt.fromSurvey, failure.httpStatus == 404, await isGone(userId: id) { throw .again }
            throw .stop(result.failing(failure))
        }
    }

    /// Enrolls the row's TOTP secret, unless the user already has a TOTP factor.
    ///
    /// WorkOS lets a user hold several factors, so a second enrollment would not fail: it would add a
    /// duplicate. A user this very request created has none; any other user's factors are listed first, and
    /// an enrollment that may have taken effect is settled by listing them again.
    private func ensureFactor(
        _ totp: TOTPEnrollment, userId: String, row: ImportRow, mayExist: Bool, userIsOurs: Bool
    ) async -> Swift.Result<(outcome: FactorOutcome, id: String?), RowFailure> {
        let api = self.api
        @Sendable func existingTOTP() async throws(WorkOSClientError) -> WorkOSAuthFactor? {
            try await api.listAuthFactors(userId: userId).first { $0.type == "totp" }
        }
        if mayExist {
            let listed = await runner.send(.userManagementRead) {
                () async throws(WorkOSClientError) -> WorkOSAuthFactor? in try await existingTOTP()
            }
            switch listed {
            case .success(let factor?), .settled(let factor?):
                // One this row's enrollment made in an earlier run that died before it could record it: on a
                // user this import created, or where the journal says this row had sent it.
                if userIsOurs || journal.factorsSent.contains(row.recordNumber),
                    let created = factor.createdAt.flatMap(Timestamp.parse), created >= runStartedAt
                {
                    return .success((.enrolled, factor.id))
                }
                return .success((.existing, nil))
            case .success(nil), .settled(nil):
                break
            case .failure(let error, _):
                return .failure(
                    makeFailure(
                        row, stage: .factor, userId: userId,
                        message: "the user's factors could not be listed, so no TOTP factor was enrolled: "
                            + error.summary, error: error))
            }
        }
        let request = EnrollTOTPRequest(secret: totp.secret, issuer: totp.issuer, user: totp.user)
        let key = IdempotencyKey.make(runId: runId, record: row.recordNumber, operation: "enroll-totp")
        if !userIsOurs {
            do throws(JournalError) {
                try journal.markSent(row.recordNumber, step: .factor)
            } catch {
                return .failure(makeFailure(row, stage: .factor, userId: userId, message: error.description))
            }
        }
        let enrolled = await runner.send(
            writes,
            { () async throws(WorkOSClientError) -> WorkOSAuthFactor in
                try await api.enrollTOTPFactor(userId: userId, request, idempotencyKey: key)
            },
            settle: { () async throws(WorkOSClientError) -> RequestRunner.Settlement<WorkOSAuthFactor> in
                try await existingTOTP().map { .found($0) } ?? .notFound
            })
        switch enrolled {
        case .success(let factor), .settled(let factor):
            return .success((.enrolled, factor.id))
        case .failure(let error, _):
            return .failure(
                makeFailure(
                    row, stage: .factor, userId: userId,
                    message: "the user is in WorkOS but enrolling the TOTP factor failed: \(error.summary)",
                    error: error))
        }
    }
}
