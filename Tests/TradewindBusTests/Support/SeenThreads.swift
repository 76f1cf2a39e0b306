import Foundation
import Synchronization

/// Identities of the threads some work ran on, collected across threads.
final class SeenThreads: Sendable {
    private let storage = Mutex<[ObjectIdentifier]>([])

    func record(_ thread: ObjectIdentifier) { storage.withLock { $0.append(thread) } }

    var threads: [ObjectIdentifier] { storage.withLock { $0 } }
}
