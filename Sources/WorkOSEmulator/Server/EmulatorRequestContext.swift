import Hummingbird
import NIOCore

/// Hummingbird request context that keeps the connection's channel, so a fault can close the
/// connection without answering.
struct EmulatorRequestContext: RequestContext {
    /// Hummingbird's own per-request storage.
    var coreContext: CoreRequestContextStorage
    /// The TCP connection the request came in on.
    let channel: any Channel

    /// Builds the context for one request.
    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
