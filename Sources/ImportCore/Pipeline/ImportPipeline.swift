import Foundation
import WorkOSClient

/// Runs an import as a pipeline, read top to bottom:
///
/// 1. **read** records from the CSV file, only as fast as workers free up (backpressure);
/// 2. **check** each record against the row rules (``RowValidator``); a bad row fails on the spot, no API call;
/// 3. **execute** valid rows against WorkOS in a bounded task group (``RowExecutor``), at most `concurrency`
///    rows in flight;
/// 4. **record** each outcome (``OutcomeRecorder``): counts, journal, error and rejects files, lines, progress.
///
/// Nothing is kept per row beyond the rows in flight and one bit per settled row of a resumed journal, so
/// memory stays flat for any file size. A ``StopSignal`` stops step 1; rows in flight still finish.
public struct ImportPipeline {
    let reader: CSVReader
    let validator: RowValidator
    let recorder: OutcomeRecorder
    let stop: StopSignal
    let now: @Sendable () -> Date

    public init(
        reader: CSVReader, validator: RowValidator, recorder: OutcomeRecorder, stop: StopSignal,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.reader = reader
        self.validator = validator
        self.recorder = recorder
        self.stop = stop
        self.now = now
    }

    /// Checks every row with the same rules as an import, without any API call.
    ///
    /// Uses the reader's checked path, which settles rows that certainly pass without building them and
    /// hands every other row to the same ``RowValidator`` an import uses.
    public func dryRun() throws(ImportError) {
        while !stop.isRequested, let checked = reader.nextChecked(by: validator) {
            switch checked {
            case .clean(let recordNumber, _):
                recorder.recordValidInDryRun()
                if recordNumber & 0x3FFF == 0 { recorder.progress(bytesFraction: byteFraction) }
            case .validated(let record, let validation):
                if try accept(record, validation) != nil { recorder.recordValidInDryRun() }
            case .malformed(let record, let reason):
                try recorder.record(
                    failure: parseFailure(record, reason: reason), fields: record.fields, bytes: record.byteRange)
            }
        }
        try checkReadError()
    }

    /// Imports every row not already settled, `concurrency` rows at a time.
    ///
    /// - Parameters:
    ///   - executor: carries one valid row through WorkOS.
    ///   - concurrency: the most rows in flight at once.
    ///   - settled: record numbers an earlier run of the same journal already settled; they are skipped.
    /// - Returns: the number of rows left unattempted because of a stop request.
    /// - Throws: ``ImportError/unauthorized(_:)`` or ``ImportError/unreachable(_:)`` when rows fail in a way
    ///   every row would; the rows not settled are left for the next run.
    public func run(executor: RowExecutor, concurrency: Int, settled: RecordSet?) async throws(ImportError) -> Int {
        var notAttempted = 0
        var stopReason: ImportHalt?
        var failure: ImportError?
        await withTaskGroup(of: Flight.self) { group in
            do throws(ImportError) {
                var inFlight = 0
                var exhausted = false
                while true {
                    while !exhausted && inFlight < concurrency && !stop.isRequested && stopReason == nil {
                        guard let read = reader.next() else {
                            exhausted = true
                            break
                        }
                        if read.recordNumber & 0x3FF == 0 { recorder.progress(bytesFraction: byteFraction) }
                        if settled?.contains(read.recordNumber) == true { continue }
                        guard let row = try check(read) else { continue }
                        let fields = read.fields
                        group.addTask { Flight(row: row, fields: fields, result: await executor.execute(row)) }
                        inFlight += 1
                    }
                    guard let flight = await group.next() else { break }
                    inFlight -= 1
                    if let halt = flight.result.halt {
                        // Every other row would fail alike: leave this one unsettled and stop.
                        stopReason = stopReason ?? halt
                        notAttempted += 1
                        continue
                    }
                    try recorder.record(result: flight.result, row: flight.row, fields: flight.fields)
                    recorder.progress(bytesFraction: byteFraction)
                }
            } catch {
                // The journal or an output file cannot be written: stop, and let the rows in flight end.
                failure = error
                group.cancelAll()
            }
        }
        if let failure { throw failure }
        try checkReadError()
        if stop.isRequested || stopReason != nil {
            while let read = reader.next() {
                if settled?.contains(read.recordNumber) != true { notAttempted += 1 }
            }
        }
        switch stopReason {
        case .unauthorized(let error): throw .unauthorized(error)
        case .unreachable(let error): throw .unreachable(error)
        case nil: return notAttempted
        }
    }

    /// One row's trip through WorkOS, returned to the collecting task.
    private struct Flight: Sendable {
        var row: ImportRow
        var fields: [String]
        var result: RowResult
    }

    /// Applies the row rules; records a failure and returns `nil` when the row cannot be sent.
    private func check(_ read: CSVReadResult) throws(ImportError) -> ImportRow? {
        switch read {
        case .malformed(let record, let reason):
            try recorder.record(
                failure: parseFailure(record, reason: reason), fields: record.fields, bytes: record.byteRange)
            return nil
        case .record(let record):
            return try accept(record, validator.validate(record))
        }
    }

    /// Records a checked row's warnings, and its failure when it broke a rule; returns the row when it passed.
    private func accept(_ record: CSVRecord, _ validation: RowValidation) throws(ImportError) -> ImportRow? {
        recorder.record(warnings: validation.warnings)
        switch validation {
        case .valid(let row, _):
            return row
        case .invalid(let problem, _):
            try recorder.record(failure: validationFailure(problem), fields: record.fields, bytes: record.byteRange)
            return nil
        }
    }

    private var byteFraction: Double? {
        reader.fileSize > 0 ? Double(reader.bytesConsumed) / Double(reader.fileSize) : nil
    }

    private func parseFailure(_ record: CSVRecord, reason: String) -> RowFailure {
        let problem = validator.problem(forMalformed: record, reason: reason)
        return RowFailure(
            recordNumber: problem.recordNumber, line: problem.line, email: problem.email, stage: .parse,
            message: problem.message, timestamp: now())
    }

    /// A read error in the middle of the file (an I/O error, not a bad row) stops the import.
    private func checkReadError() throws(ImportError) {
        if let error = reader.readError { throw .csv(error) }
    }

    private func validationFailure(_ problem: RowProblem) -> RowFailure {
        RowFailure(
            recordNumber: problem.recordNumber, line: problem.line, email: problem.email, stage: .validation,
            message: problem.message, timestamp: now())
    }
}

extension CSVReadResult {
    /// The record number of the record read, valid or not.
    var recordNumber: Int {
        switch self {
        case .record(let record), .malformed(let record, _): record.recordNumber
        }
    }

    /// The raw fields of the record read.
    var fields: [String] {
        switch self {
        case .record(let record), .malformed(let record, _): record.fields
        }
    }
}
