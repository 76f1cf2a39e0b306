import ArgumentParser
import Foundation

/// `tradewind suite`: the suite's shape as the configuration makes it, for scripts and tools.
struct Suite: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The suite's daemons, where they listen and what they exchange.",
        subcommands: [Addresses.self]
    )

    struct Addresses: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Each daemon's HTTP address, PUB endpoint, topics, subscriptions and ingresses (upstream first).")

        @OptionGroup var suite: SuiteOptions

        @Flag(help: "One JSON object ({\"daemons\": [...]}) instead of a table.")
        var json = false

        func run() throws {
            let daemons = try suite.daemons()
            if json {
                let encoder = JSONEncoder()
                encoder.keyEncodingStrategy = .convertToSnakeCase
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                let text = String(decoding: try encoder.encode(["daemons": daemons]), as: UTF8.self)
                print(text)
                return
            }
            for daemon in daemons {
                print("\(daemon.name.padding(toLength: 18, withPad: " ", startingAt: 0)) \(daemon.baseURL)  pub \(daemon.pubEndpoint)")
                print("  publishes  \(daemon.publishes.joined(separator: " "))")
                for subscription in daemon.subscribes {
                    print("  subscribes \(subscription.topicPrefixes.joined(separator: " ")) from \(subscription.service) at \(subscription.endpoint)")
                }
                for ingress in daemon.ingresses {
                    print("  binds      \(ingress.name) \(ingress.endpoint) (\(ingress.topicPrefixes.joined(separator: " ")))")
                }
            }
        }
    }
}
