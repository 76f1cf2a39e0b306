import Testing
import TradewindCore

@Suite struct TradingStateMachineTests {
    @Test(arguments: [
        (TradingState.active, TradingStateEvent.halt, TradingState.halted),
        (.active, .reduce, .reducing),
        (.active, .resume, .active),
        (.reducing, .halt, .halted),
        (.reducing, .reduce, .reducing),
        (.reducing, .resume, .active),
        (.halted, .halt, .halted),
        (.halted, .reduce, .reducing),
        (.halted, .resume, .active),
    ])
    func followsTable(state: TradingState, event: TradingStateEvent, expected: TradingState) {
        #expect(TradingStateMachine.transition(from: state, on: event) == expected)
    }
}

@Suite struct TradingStateStrictnessTests {
    @Test func ordersStatesByHowMuchTheyRefuse() {
        #expect(TradingState.halted.isStricter(than: .reducing))
        #expect(TradingState.reducing.isStricter(than: .active))
        #expect(!TradingState.active.isStricter(than: .active))
        #expect(!TradingState.reducing.isStricter(than: .halted))
        #expect(TradingState.allCases.map(\.strictness) == [0, 1, 2])
    }
}
