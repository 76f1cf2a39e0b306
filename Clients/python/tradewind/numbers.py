"""Exact conversion between the wire's Decimal {units, scale} and Python's decimal.Decimal."""

from decimal import Decimal

from tradewind.v1 import common_pb2


def to_decimal(value: common_pb2.Decimal) -> Decimal:
    """The exact value of a wire Decimal: units * 10^-scale."""
    return Decimal(value.units).scaleb(-value.scale)


def from_decimal(value: Decimal | str | int, scale: int = 8) -> common_pb2.Decimal:
    """A wire Decimal at `scale` places; raises ValueError if `value` needs more places."""
    exact = Decimal(value)
    units = exact.scaleb(scale)
    if units != units.to_integral_value():
        raise ValueError(f"{value} is not representable with {scale} decimal places")
    return common_pb2.Decimal(units=int(units), scale=scale)
