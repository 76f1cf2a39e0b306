import Testing
import TradewindCore
import TradewindWire

/// An execution report's reason crosses the wire as `reason_code` + `reason_detail`: every code
/// survives exactly, an unknown one reads as UNKNOWN, and the retired `reject_reason` is ignored.
@Suite struct ExecutionReasonWireTests {
    static func report(_ reason: OrderReason?, status: OrderStatus = .rejected) -> ExecutionReport {
        ExecutionReport(
            clientOrderId: "TW-i-1", venueOrderId: "", intentId: "i-1", strategy: "s", instrument: InstrumentId("SIM:BTCUSDT")!,
            side: .buy, execType: status == .rejected ? .rejected : .canceled, orderStatus: status, lastQuantity: .zero,
            lastPrice: .zero, cumulativeQuantity: .zero, leavesQuantity: .zero, averagePrice: .zero, fee: .zero,
            feeCurrency: "USDT", liquidity: .none, tradeId: "", reason: reason, eventNumber: 2, timeNs: 7)
    }

    @Test(arguments: OrderReasonCode.allCases)
    func everyCodeRoundTrips(code: OrderReasonCode) throws {
        let report = Self.report(OrderReason(code, "detail of \(code)"))
        let wire = Tradewind_V1_ExecutionReport(report)
        #expect(wire.reasonCode == code.rawValue && wire.reasonDetail == "detail of \(code)")
        let bytes: [UInt8] = try wire.serializedBytes()
        let decoded = try ExecutionReport(wire: Tradewind_V1_ExecutionReport(serializedBytes: bytes), timeNs: 7)
        #expect(decoded == report)
    }

    @Test func aReportWithoutReasonCarriesEmptyFields() throws {
        let report = Self.report(nil, status: .filled)
        let wire = Tradewind_V1_ExecutionReport(report)
        #expect(wire.reasonCode.isEmpty && wire.reasonDetail.isEmpty)
        #expect(try ExecutionReport(wire: wire, timeNs: 7).reason == nil)
    }

    @Test func anUnknownCodeReadsAsUnknownAndKeepsItsText() throws {
        var wire = Tradewind_V1_ExecutionReport(Self.report(OrderReason(.rejectedAtVenue, "x")))
        wire.reasonCode = "VENUE_ON_FIRE"
        wire.reasonDetail = "smoke"
        let decoded = try ExecutionReport(wire: wire, timeNs: 7)
        #expect(decoded.reason == OrderReason(.unknown, "VENUE_ON_FIRE: smoke"))
        #expect(decoded.reason?.code.isVenueFailure == true)
    }

    @Test func theRetiredRejectReasonOfAnOlderPeerIsIgnored() throws {
        var bytes: [UInt8] = try Tradewind_V1_ExecutionReport(Self.report(nil)).serializedBytes()
        let text = Array("LOCAL:INVALID_PRICE".utf8)
        bytes += [0x92, 0x01, UInt8(text.count)] + text  // field 18, length-delimited
        let wire = try Tradewind_V1_ExecutionReport(serializedBytes: bytes)
        let decoded = try ExecutionReport(wire: wire, timeNs: 7)
        #expect(decoded.reason == nil && decoded.orderStatus == .rejected)
    }
}
