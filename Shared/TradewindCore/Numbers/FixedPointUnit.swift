/// A phantom tag that keeps prices, quantities and money apart at compile time.
public protocol FixedPointUnit: Sendable {}

/// Tag for prices (quote currency per unit of base asset).
public enum PriceUnit: FixedPointUnit {}

/// Tag for quantities of the base asset; signed, since positions can be short.
public enum QuantityUnit: FixedPointUnit {}

/// Tag for amounts of money in the quote currency (notional, fees, PnL).
public enum MoneyUnit: FixedPointUnit {}

/// Tag for dimensionless rates such as fee rates (0.001 = 10 bps).
public enum RateUnit: FixedPointUnit {}

/// An exact price with 8 decimal places.
public typealias Price = FixedPoint<PriceUnit>
/// An exact, signed quantity with 8 decimal places.
public typealias Quantity = FixedPoint<QuantityUnit>
/// An exact amount of money with 8 decimal places.
public typealias Money = FixedPoint<MoneyUnit>
/// An exact dimensionless rate with 8 decimal places.
public typealias Rate = FixedPoint<RateUnit>
