"""Estimated cost of model usage, from a price table the user can edit."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from briefer._errors import ConfigError
from briefer._models import Usage

__all__ = ["Price", "PriceTable", "load_prices"]

DEFAULT_PRICES = Path(__file__).parent / "prices.toml"


@dataclass(frozen=True)
class Price:
    """USD per million input and output tokens."""

    input: float
    output: float

    def cost(self, usage: Usage) -> float:
        """USD for ``usage``."""
        return (usage.prompt_tokens * self.input + usage.completion_tokens * self.output) / 1_000_000


@dataclass(frozen=True)
class PriceTable:
    """Model name (or ``prefix*``) to price; the longest matching entry wins."""

    prices: dict[str, Price]

    def price(self, model: str) -> Price | None:
        """The price of ``model``, or None when it is unknown."""
        if model in self.prices:
            return self.prices[model]
        prefixes = [key for key in self.prices if key.endswith("*") and model.startswith(key[:-1])]
        return self.prices[max(prefixes, key=len)] if prefixes else None

    def cost(self, model: str, usage: Usage) -> float | None:
        """USD for ``usage`` of ``model``, or None when its price is unknown."""
        price = self.price(model)
        return None if price is None else round(price.cost(usage), 6)


def load_prices(path: Path | None = None) -> PriceTable:
    """Read a price table (the user's file when it exists, else the one shipped with briefer)."""
    source = path if path is not None and path.exists() else DEFAULT_PRICES
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
        models = data["models"]
        return PriceTable({name: Price(float(p["input"]), float(p["output"])) for name, p in models.items()})
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"price table {source} is malformed ({exc}); see {DEFAULT_PRICES} for the format") from exc
