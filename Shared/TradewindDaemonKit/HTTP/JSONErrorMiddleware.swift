import Hummingbird
import Logging

/// Turns every failure into a JSON body: unknown paths give 404 `{"error":"not found","path":...}`,
/// other errors their status (500 for unexpected ones) with `{"error": message}`.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let body = "{\"error\":\"not found\",\"path\":\(JSONEscaping.quoted(request.uri.path))}"
            return DaemonHTTPServer.response(DaemonHTTPResponse(status: 404, body: Array(body.utf8)))
        } catch let error as HTTPError {
            let message = error.body ?? error.status.reasonPhrase
            return DaemonHTTPServer.response(.error(message, status: error.status.code))
        } catch {
            logger.error(
                "http handler failed",
                metadata: ["path": "\(request.uri.path)", "error_type": "\(type(of: error))", "detail": "\(error)"]
            )
            return DaemonHTTPServer.response(.error("internal error: \(error)", status: 500))
        }
    }
}
