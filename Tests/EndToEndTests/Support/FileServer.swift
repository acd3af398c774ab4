import Foundation
import Hummingbird
import Logging
import NIOCore
import Testing

/// A plain HTTP server on a free loopback port that serves the files of one folder, as a release page
/// serves its assets: what `install.sh` downloads from in the tests.
struct FileServer {
    /// `http://127.0.0.1:PORT`, the folder URL to give `install.sh` as `WORKOS_IMPORT_BASE_URL`.
    let baseURL: String
    private let task: Task<Void, any Error>

    /// Starts serving `folder` and returns once the port listens. Only names directly inside the folder are
    /// served; anything else is a 404, as an unknown asset is.
    static func start(serving folder: URL) async throws -> FileServer {
        let router = Router()
        router.get(":name") { _, context -> Response in
            let name = try context.parameters.require("name")
            let path = folder.appendingPathComponent(name).path
            guard !name.hasPrefix("."), let data = FileManager.default.contents(atPath: path) else {
                throw HTTPError(.notFound)
            }
            return Response(
                status: .ok, headers: [.contentType: "application/octet-stream"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
        }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        // Stopping cancels the server, which it would log as an error; only a critical problem is worth a line.
        var logger = Logger(label: "release-file-server")
        logger.logLevel = .critical
        let application = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0), serverName: nil),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger)
        let task = Task {
            defer { continuation.finish() }
            try await application.runService(gracefulShutdownSignals: [])
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            task.cancel()
            Issue.record("the file server did not start listening")
            throw FileServerError.notListening
        }
        return FileServer(baseURL: "http://127.0.0.1:\(port)", task: task)
    }

    /// Stops serving and waits until the server has closed.
    func stop() async {
        task.cancel()
        _ = try? await task.value
    }

    /// Starts a server for `folder`, runs `body`, and always stops the server, whether `body` returns or
    /// throws.
    static func scoped<T>(serving folder: URL, _ body: (FileServer) async throws -> T) async throws -> T {
        let server = try await start(serving: folder)
        do {
            let value = try await body(server)
            await server.stop()
            return value
        } catch {
            await server.stop()
            throw error
        }
    }
}

/// Why ``FileServer/start(serving:)`` gave up.
enum FileServerError: Error {
    case notListening
}
