"""Loading of the declarative rule tables in `extractor/data/` (YAML), once per process."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

#: libyaml's safe loader when PyYAML was built with it (ten times faster, same result)
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def load_table(name: str) -> Any:
    """The parsed contents of `extractor/data/<name>.yaml`."""
    path = resources.files("extractor") / "data" / f"{name}.yaml"
    with path.open("r", encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_SAFE_LOADER)


def data_path(name: str) -> str:
    """Filesystem path of a data file shipped in `extractor/data/`."""
    return str(resources.files("extractor") / "data" / name)


#: ISO 4217 codes a MONEY mention may carry (keys of currencies.yaml).
CURRENCY_CODES: frozenset[str] = frozenset(load_table("currencies")["codes"])

#: Canonical CAPACITY units besides classifiers (SPEC section 3 unit table).
CAPACITY_UNITS: frozenset[str] = frozenset({"t", "kW", "kWh", "m3", "m2"})
