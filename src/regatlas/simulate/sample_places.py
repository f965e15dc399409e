"""Where each synthetic system's operator is established, and where the system is offered, used and its output used.

One rows x codes yes/no matrix per place fact: the home place follows the region of establishment (a member
state, a US state, a Canadian province, or the country); the operator's reach (domestic, regional, global; wider
for larger operators) decides in which markets the system is offered; `used` is a subset of where it is offered
plus home, and `output` adds some places where output travels.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .figures import SIZES, Figures, norm

US_STATES_MODELLED = ("US-CA", "US-CO", "US-IL", "US-NY-NYC", "US-TX", "US-UT")
US_ESTABLISHMENT = {
    "US-CA": 0.3,
    "US-NY": 0.12,
    "US-NY-NYC": 0.06,
    "US-TX": 0.1,
    "US-WA": 0.08,
    "US-MA": 0.06,
    "US-IL": 0.05,
    "US-CO": 0.03,
    "US-UT": 0.02,
    "US-DE": 0.05,
    "US-FL": 0.05,
    "US-GA": 0.03,
    "US": 0.05,
}
CA_ESTABLISHMENT = {"CA-ON": 0.5, "CA-QC": 0.25, "CA": 0.25}
MARKETS = ("EU", "US", "GB", "CN", "JP", "KR", "CA", "IN", "BR")
MARKET_CODES = {
    "EU": ("EU",),
    "US": ("US", *US_STATES_MODELLED),
    "GB": ("GB",),
    "CN": ("CN",),
    "JP": ("JP",),
    "KR": ("KR",),
    "CA": ("CA", "CA-ON", "CA-QC"),
    "IN": ("IN",),
    "BR": ("BR",),
}
REACHES = ("domestic", "regional", "global")


@dataclass
class Places:
    """The place matrices of a chunk (rows x `codes`) and the row masks the facts' coherence rules use."""

    codes: list[str]
    established: np.ndarray
    offered: np.ndarray
    used: np.ndarray
    output: np.ndarray
    touches_eu: np.ndarray  # offered, used or output used in a member state or the EU
    eu_established: np.ndarray
    us_established: np.ndarray
    place_rows: dict[str, np.ndarray]  # rows a place's own facts concern (CN, KR, IN, US-TX)


@dataclass
class _Codes:
    """Every code a chunk may list, with the establishment mixes of the EU, the US and Canada."""

    members: list[str]
    member_p: np.ndarray
    us: list[str]
    us_p: np.ndarray
    ca: list[str]
    ca_p: np.ndarray
    codes: list[str]
    col_of: dict[str, int]

    @classmethod
    def build(cls, figures: Figures) -> _Codes:
        ms, ms_p = norm(figures.value("eu_member_state_mix"))
        us_est, us_p = norm(US_ESTABLISHMENT)
        ca_est, ca_p = norm(CA_ESTABLISHMENT)
        codes = list(dict.fromkeys([*ms, *us_est, *ca_est, *[c for m in MARKETS for c in MARKET_CODES[m]]]))
        return cls(ms, ms_p, us_est, us_p, ca_est, ca_p, codes, {c: i for i, c in enumerate(codes)})


def draw_places(
    rng: np.random.Generator,
    draw: Callable[..., np.ndarray],
    figures: Figures,
    regions: list[str],
    region: np.ndarray,
    size_idx: np.ndarray,
    is_gpai: np.ndarray,
) -> Places:
    """The places of `len(region)` rows, whose operators are established in `regions[region]`."""
    c = _Codes.build(figures)
    established = _established(rng, c, regions, region)
    offered = _offered(draw, figures, c, regions, region, size_idx, is_gpai, established)
    col_of = c.col_of
    # used: where deployers use it (a subset of where it is offered, always home); output: used plus some more
    used = offered & (draw(len(c.codes)) < 0.85)
    used |= established
    used[:, col_of["US"]] |= used[:, [col_of[code] for code in US_STATES_MODELLED]].any(axis=1)
    used[:, col_of["CA"]] |= used[:, [col_of["CA-ON"], col_of["CA-QC"]]].any(axis=1)
    output = used | (offered & (draw(len(c.codes)) < 0.5))

    eu_codes = [col_of[code] for code in c.members] + [col_of["EU"]]
    touches_eu = (offered[:, eu_codes] | used[:, eu_codes] | output[:, eu_codes]).any(axis=1)
    place_rows = {
        "CN": (offered | used)[:, col_of["CN"]],
        "KR": (offered | used)[:, col_of["KR"]],
        "IN": (offered | used)[:, col_of["IN"]],
        "US-TX": established[:, col_of["US-TX"]],
    }
    us_established = established[:, [col_of[code] for code in c.us]].any(axis=1)
    eu_established = established[:, [col_of[code] for code in c.members]].any(axis=1)
    return Places(c.codes, established, offered, used, output, touches_eu, eu_established, us_established, place_rows)


def _established(rng: np.random.Generator, c: _Codes, regions: list[str], region: np.ndarray) -> np.ndarray:
    """The home place: a member state, US state or Canadian province by its mix, else the region's country."""
    n = len(region)
    home = np.empty(n, dtype=np.int64)
    for r, name in enumerate(regions):
        rows = region == r
        k = int(rows.sum())
        if name == "EU":
            pick = np.array([c.col_of[code] for code in c.members])[rng.choice(len(c.members), size=k, p=c.member_p)]
        elif name == "US":
            pick = np.array([c.col_of[code] for code in c.us])[rng.choice(len(c.us), size=k, p=c.us_p)]
        elif name == "CA":
            pick = np.array([c.col_of[code] for code in c.ca])[rng.choice(len(c.ca), size=k, p=c.ca_p)]
        else:
            pick = np.full(k, c.col_of[name])
        home[rows] = pick
    established = np.zeros((n, len(c.codes)), dtype=bool)
    established[np.arange(n), home] = True
    return established


def _offered(
    draw: Callable[..., np.ndarray],
    figures: Figures,
    c: _Codes,
    regions: list[str],
    region: np.ndarray,
    size_idx: np.ndarray,
    is_gpai: np.ndarray,
    established: np.ndarray,
) -> np.ndarray:
    """Where the system is offered: home, its market, and the markets its operator's reach gets it into."""
    reach_tab = figures.value("reach_by_size")
    reach_cum = np.array([np.cumsum([reach_tab[s][r] for r in REACHES]) for s in SIZES])
    u = draw()
    reach = (u[:, None] > reach_cum[size_idx]).sum(axis=1)  # 0 domestic, 1 regional, 2 global
    reach = np.where(is_gpai, 2, reach)
    access = figures.value("market_access")
    offered_market = np.zeros((len(region), len(MARKETS)), dtype=bool)
    um = draw(len(MARKETS))
    for j, m in enumerate(MARKETS):
        offered_market[:, j] = region == regions.index(m)
        offered_market[:, j] |= (reach == 1) & (um[:, j] < access["regional"][m])
        offered_market[:, j] |= (reach == 2) & (um[:, j] < access["global"][m])
    offered = established.copy()
    us_partial = draw(len(US_STATES_MODELLED)) < 0.6
    for j, m in enumerate(MARKETS):
        rows = offered_market[:, j]
        for code in MARKET_CODES[m]:
            if m == "EU" and code == "EU":
                # EU-wide for foreign operators and for EU operators reaching beyond home; else the home state only
                offered[:, c.col_of[code]] = rows & ((region != regions.index("EU")) | (reach > 0))
            elif m == "US" and code in US_STATES_MODELLED:
                k = US_STATES_MODELLED.index(code)
                offered[:, c.col_of[code]] = rows & ((reach == 2) | (region == regions.index("US")) | us_partial[:, k])
            else:
                offered[:, c.col_of[code]] = rows
    return offered
