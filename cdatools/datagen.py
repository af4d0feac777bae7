"""Write the course's case-study CSV files from a fixed seed.

Every dataset except ``cda_tasks`` is synthetic: invented data whose magnitudes follow the
sources named in ``datasets/datapackage.json`` and ``datasets/README.md``. Running the
generator again writes the same bytes (the tests check this), as long as NumPy keeps the
random streams of ``numpy.random.default_rng``, which it has done since NumPy 1.17.

Each group of datasets draws from its own random stream, seeded from ``SEED`` and the
group's name, so changing one case does not change the others.

Run ``python -m cdatools.datagen`` to rewrite ``datasets/*.csv``, or pass ``--out DIR``.

The hand-written tables of the four cases (names, shares, scores) and of Lomari, the
course's invented practice cluster, are read from ``datasets/sources/*.csv``; model
parameters stay in this file.
"""

from __future__ import annotations

import argparse
import csv
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from cdatools import datasets

__all__ = ["SEED", "build", "generate", "main"]

SEED = 2011  # the year Bagru's hand block print became a Geographical Indication
DECIMALS = {
    "design_centre_hours": 1,
    "mean_farm_ha": 1,
    "payment_days": 1,
    "price_usd_per_kg": 2,
    "mean_carcass_kg": 1,
    "weight_share": 3,
    "voice_share": 3,
}
Frames = dict[str, pd.DataFrame]


#: Hand-written tables of the four cases (names, shares, scores), read from CSV files so that
#: they can be read and edited without touching the code; see datasets/sources/README.md.
SOURCES = Path(__file__).resolve().parents[1] / "datasets" / "sources"


def _source(name: str) -> list[dict[str, str]]:
    """The rows of ``datasets/sources/<name>.csv`` as dicts, in file order."""
    path = SOURCES / f"{name}.csv"
    if not path.is_file():
        raise FileNotFoundError(
            f"cdatools.datagen: the source table {path} is missing; the generator reads the "
            "cases' hand-written tables from datasets/sources/ in the course repository"
        )
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _flag(row: dict[str, str], column: str) -> bool:
    """A true/false cell of a source table; anything else is an error naming the row."""
    if row[column] not in ("true", "false"):
        raise ValueError(
            f"cdatools.datagen: column {column!r} must be true or false; found {row[column]!r} "
            f"in {dict(row)}"
        )
    return row[column] == "true"


def _rng(group: str) -> np.random.Generator:
    return np.random.default_rng([SEED, zlib.crc32(group.encode())])


def _round_to_one(shares: np.ndarray, decimals: int = 3) -> np.ndarray:
    """Round shares so that they still add up to exactly 1 at that many decimals."""
    rounded = np.round(shares / shares.sum(), decimals)
    rounded[np.argmax(rounded)] += np.round(1 - rounded.sum(), decimals)
    return np.round(rounded, decimals)


# ------------------------------------------------------------------ CDA tasks (module)


def cda_tasks(rng: np.random.Generator) -> Frames:
    """Table 1 of the module, with the course's reading of the months (no randomness).

    The table itself lives in :func:`cdatools.workplan.table1_plan`, so the dataset and
    the analysis default can never disagree.
    """
    from cdatools.workplan import table1_plan

    return {"cda_tasks": table1_plan()}


# ------------------------------------------------------------------ Senegal

_TOPICS = _source("senegal_topics")
SENEGAL_CDAS = [tuple(row.values()) for row in _source("senegal_cdas")]
NEIGHBOUR_ZONES = {
    "West": ["North", "Centre"],
    "North": ["West"],
    "Centre": ["West", "South"],
    "South": ["Centre"],
}
REVIEW_TOPICS = [row["topic"] for row in _TOPICS if row["kind"] == "review"]
PEER_TOPICS = [row["topic"] for row in _TOPICS if row["kind"] == "regional_peer"]
TRAINING_TOPICS = [row["topic"] for row in _TOPICS if row["kind"] == "joint_training"]


def senegal(rng: np.random.Generator) -> Frames:
    """Ten CDAs and three years of review, regional peer and joint-training meetings."""
    cdas = pd.DataFrame(
        SENEGAL_CDAS, columns=["cda_id", "commune", "region", "zone", "junior_consultant"]
    )
    ids = cdas["cda_id"].to_numpy()
    commune = dict(zip(cdas["cda_id"], cdas["commune"], strict=True))
    zone_of = dict(zip(cdas["cda_id"], cdas["zone"], strict=True))
    members = {z: [c for c in ids if zone_of[c] == z] for z in NEIGHBOUR_ZONES}
    start, end = pd.Timestamp("2007-07-02"), pd.Timestamp("2010-06-30")
    meetings: list[dict] = []

    day = start + pd.Timedelta(days=7)
    while day <= end:  # review meetings: at most 60 days apart, nearly everyone there
        host = rng.choice(ids) if rng.random() < 0.2 else None
        present = list(ids)
        if rng.random() < 0.25:
            present.remove(rng.choice(ids[ids != host]))
        first, last = not meetings, day + pd.Timedelta(days=60) > end
        topic = (
            "launch of implementation"
            if first
            else "exit strategy and hand-over"
            if last
            else rng.choice(REVIEW_TOPICS)
        )
        meetings.append(
            dict(
                date=day,
                kind="review",
                host_cda=host,
                topic=topic,
                location=commune[host] if host else "Dakar",
                present=present,
            )
        )
        day += pd.Timedelta(days=int(rng.integers(42, 61)))

    for zone, zone_cdas in members.items():  # regional peer meetings grow organically
        day = start + pd.Timedelta(days=int(rng.integers(90, 270)))
        while day <= end:
            host = rng.choice(zone_cdas)
            present = [c for c in zone_cdas if c == host or rng.random() < 0.85]
            if len(present) == 1:  # a peer meeting needs at least one peer
                present.append(rng.choice([c for c in zone_cdas if c != host]))
            for other_zone in NEIGHBOUR_ZONES[zone]:
                present += [c for c in members[other_zone] if rng.random() < 0.08]
            meetings.append(
                dict(
                    date=day,
                    kind="regional_peer",
                    host_cda=host,
                    topic=rng.choice(PEER_TOPICS),
                    location=commune[host],
                    present=present,
                )
            )
            elapsed = (day - start).days / (end - start).days
            day += pd.Timedelta(days=int(rng.integers(60, 120) * (1 - 0.4 * elapsed)))

    for day_offset in np.sort(rng.choice(np.arange(270, 1060, 7), size=10, replace=False)):
        host = rng.choice(ids)
        nearby = [
            c
            for c in ids
            if c != host
            and (zone_of[c] == zone_of[host] or zone_of[c] in NEIGHBOUR_ZONES[zone_of[host]])
        ]
        partners = list(rng.choice(nearby, size=int(rng.integers(1, 3)), replace=False))
        meetings.append(
            dict(
                date=start + pd.Timedelta(days=int(day_offset)),
                kind="joint_training",
                host_cda=host,
                location=commune[host],
                topic=rng.choice(TRAINING_TOPICS),
                present=[host, *partners],
                stakeholder_participants=int(rng.integers(15, 46)),
            )
        )

    log = pd.DataFrame(meetings).sort_values(["date", "kind"], kind="stable", ignore_index=True)
    log["meeting_id"] = [f"M{i:03d}" for i in range(1, len(log) + 1)]
    attendance = log[["meeting_id", "present"]].explode("present")
    attendance = attendance.rename(columns={"present": "cda_id"})
    attendance = attendance.sort_values(["meeting_id", "cda_id"], ignore_index=True)
    if "stakeholder_participants" not in log:
        log["stakeholder_participants"] = np.nan
    log["stakeholder_participants"] = log["stakeholder_participants"].astype("Int64")
    return {
        "senegal_cdas": cdas,
        "senegal_meetings": log.drop(columns="present"),
        "senegal_attendance": attendance,
    }


# ------------------------------------------------------------------ Atuntaqui

PRODUCTS = {row["product"]: float(row["share"]) for row in _source("atuntaqui_products")}
PARISHES = {row["parish"]: float(row["share"]) for row in _source("atuntaqui_parishes")}
CHAMBER_FOUNDED, DESIGN_CENTRE_OPENS, ACCESSORY_BANK_OPENS = 2001, 2003, 2004
LAST_YEAR = 2010


def atuntaqui(rng: np.random.Generator) -> Frames:
    """About 500 garment firms, chamber membership, yearly use of the two services."""
    n = 510
    era = rng.choice(4, size=n, p=[0.06, 0.49, 0.30, 0.15])
    low, high = np.array([1960, 1982, 1996, 2005])[era], np.array([1981, 1995, 2004, 2010])[era]
    founded = rng.integers(low, high + 1)
    age = LAST_YEAR - founded
    employees = np.maximum(1, np.ceil(rng.lognormal(1.72 + 0.012 * age, 0.85))).astype(int)
    member = rng.random(n) < 1 / (1 + np.exp(-(0.1 + 1.1 * np.log(employees / 10))))
    wave = rng.choice(
        np.arange(CHAMBER_FOUNDED, LAST_YEAR + 1),
        size=n,
        p=_normalise([18, 16, 14, 12, 10, 9, 7, 6, 5, 3]),
    )
    joined = np.minimum(LAST_YEAR, np.maximum(wave, founded + rng.integers(0, 2, size=n)))
    firms = pd.DataFrame(
        {
            "firm_id": [f"ATU{i:03d}" for i in range(1, n + 1)],
            "founded_year": founded,
            "employees": employees,
            "main_product": rng.choice(list(PRODUCTS), size=n, p=list(PRODUCTS.values())),
            "parish": rng.choice(list(PARISHES), size=n, p=list(PARISHES.values())),
            "chamber_member": member,
            "chamber_joined_year": pd.array(np.where(member, joined, 0), dtype="Int64"),
        }
    )
    firms.loc[~member, "chamber_joined_year"] = pd.NA

    years = np.arange(CHAMBER_FOUNDED, LAST_YEAR + 1)
    panel = firms.merge(pd.DataFrame({"year": years}), how="cross")
    panel = panel[panel["year"] >= panel["founded_year"]].reset_index(drop=True)
    in_chamber = panel["chamber_member"] & (panel["year"] >= panel["chamber_joined_year"])
    in_chamber = in_chamber.fillna(False).to_numpy(dtype=bool)
    size = (panel["employees"].to_numpy() / 10) ** 0.4
    year = panel["year"].to_numpy()
    ramp = np.clip((year - DESIGN_CENTRE_OPENS + 1) / 3, 0, 1)
    uses = rng.random(len(panel)) < np.where(in_chamber, 0.6, 0.15) * ramp
    hours = rng.gamma(2.0, 7.0 * size * (1 + 0.08 * (year - DESIGN_CENTRE_OPENS)))
    ramp_bank = np.clip((year - ACCESSORY_BANK_OPENS + 1) / 2, 0, 1)
    borrows = rng.random(len(panel)) < np.where(in_chamber, 0.45, 0.2) * ramp_bank
    loans = 1 + rng.poisson(1.5 * size)
    use = pd.DataFrame(
        {
            "firm_id": panel["firm_id"],
            "year": year,
            "design_centre_hours": np.where(uses, np.round(hours, 1), 0.0),
            "accessory_loans": np.where(borrows, loans, 0),
        }
    )
    return {"atuntaqui_firms": firms, "atuntaqui_service_use": use}


def _normalise(weights: Sequence[float]) -> np.ndarray:
    array = np.asarray(weights, dtype=float)
    return array / array.sum()


# ------------------------------------------------------------------ Chontales

_COOPERATIVES = _source("chontales_cooperatives")
COOP_NAMES = [row["name"] for row in _COOPERATIVES]
COOP_MUNICIPALITIES = [row["municipality"] for row in _COOPERATIVES]
AGREEMENT = pd.Timestamp("2013-07-01")
# Calendar-month supply factor before the agreement: the dry season (Feb-May) dips.
SEASON = np.array([0.95, 0.78, 0.62, 0.55, 0.68, 0.95, 1.10, 1.12, 1.10, 1.08, 1.05, 1.02])


def chontales(rng: np.random.Generator) -> Frames:
    """Cooperatives and 48 months of deliveries around the supply agreement."""
    n = len(COOP_NAMES)
    weights = rng.lognormal(0, 0.5, size=n)
    coops = pd.DataFrame(
        {
            "coop_id": [f"CH{i:02d}" for i in range(1, n + 1)],
            "name": [f"Cooperativa Ganadera {name}" for name in COOP_NAMES],
            "municipality": COOP_MUNICIPALITIES,
            "farmers": np.round(weights / weights.sum() * 7000).astype(int),
            "mean_farm_ha": np.round(np.clip(rng.normal(24, 7, size=n), 8, 48), 1),
        }
    )
    months = pd.date_range(AGREEMENT - pd.DateOffset(months=24), periods=48, freq="MS")
    grid = coops[["coop_id", "farmers"]].merge(pd.DataFrame({"month": months}), how="cross")
    k = len(grid)
    coop_index = np.repeat(np.arange(n), len(months))
    after = (grid["month"] >= AGREEMENT).to_numpy()
    steps = ((grid["month"] - AGREEMENT).dt.days.to_numpy() / 30.4).round()
    w = np.where(after, np.clip((steps + 1) / 4, 0, 1), 0.0)  # the change takes ~4 months
    season = SEASON[grid["month"].dt.month.to_numpy() - 1]
    season = season + w * 0.5 * (1 - season)  # the supply calendar halves the dip
    rate = 0.075 + w * 0.025  # head per farmer per month
    shape = 3 + w * 22  # gamma shape: irregular before, regular after
    expected = grid["farmers"].to_numpy() * rate * season * rng.gamma(shape, 1 / shape)
    head = rng.poisson(expected) * (rng.random(k) > 0.04 * (1 - w))
    base_grade = rng.uniform(0.12, 0.32, size=n)[coop_index]
    p_grade = np.clip(base_grade + 0.25 * w + rng.normal(0, 0.04, size=k), 0.02, 0.95)
    grade_a = rng.binomial(head, p_grade)
    coop_delay = rng.normal(0, 6, size=n)[coop_index]
    days_before = np.clip(38 + coop_delay + rng.normal(0, 9, size=k), 10, None)
    days_after = np.clip(12 + rng.normal(0, 2.5, size=k), 3, None)
    payment = days_before + w * (days_after - days_before)
    years = (grid["month"] - months[0]).dt.days.to_numpy() / 365.25
    price = (
        2.86
        + 0.06 * years
        + 0.04 * (season < 0.8)
        + 0.1 * w * (p_grade - 0.3)
        + rng.normal(0, 0.03, size=k)
    )
    carcass = rng.normal(195 + 17 * w, 9 - 2 * w)
    none = head == 0
    deliveries = pd.DataFrame(
        {
            "coop_id": grid["coop_id"],
            "month": grid["month"],
            "period": np.where(after, "after", "before"),
            "head_delivered": head,
            "head_grade_a": grade_a,
            "payment_days": np.where(none, np.nan, payment),
            "price_usd_per_kg": np.where(none, np.nan, np.clip(price, 2.8, 3.3)),
            "mean_carcass_kg": np.where(none, np.nan, carcass),
        }
    )
    return {"chontales_cooperatives": coops, "chontales_deliveries": deliveries}


# ------------------------------------------------------------------ Bagru

BAGRU_KINDS = {"printer": 168, "dyer": 44, "block_maker": 30, "trader": 38, "washer": 20}
BAGRU_WORKERS = {
    "printer": (20, 0.6),
    "dyer": (10, 0.5),
    "block_maker": (4, 0.4),
    "trader": (5, 0.5),
    "washer": (8, 0.4),
}  # median and log-sd of workers
BAGRU_STYLES = {"printer": [0.40, 0.25, 0.35], "dyer": [0.25, 0.45, 0.30]}
N_FAMILY_GROUPS = 36


def bagru(rng: np.random.Generator) -> Frames:
    """Units of the Bagru cluster and their ties before and after trust-building."""
    kind = rng.permutation(np.repeat(list(BAGRU_KINDS), list(BAGRU_KINDS.values())))
    n = len(kind)
    group = rng.choice(N_FAMILY_GROUPS, size=n, p=_normalise(1 / np.arange(1, 37) ** 0.6))
    median, spread = (np.array([BAGRU_WORKERS[k][i] for k in kind]) for i in (0, 1))
    workers = np.maximum(1, np.round(median * rng.lognormal(0, spread))).astype(int)
    style = np.array(["none"] * n, dtype=object)
    for k, p in BAGRU_STYLES.items():
        picks = kind == k
        style[picks] = rng.choice(["bagru", "dabu", "both"], size=picks.sum(), p=p)
    water = np.select(
        [kind == "printer", kind == "dyer", kind == "washer"],
        [150 + 35 * workers, 350 + 45 * workers, 600 + 30 * workers],
        rng.integers(0, 40, size=n),
    ) * rng.uniform(0.85, 1.1, size=n)
    units = pd.DataFrame(
        {
            "unit_id": [f"BG{i:03d}" for i in range(1, n + 1)],
            "kind": kind,
            "workers": workers,
            "style": style,
            "water_litres_per_day": np.minimum(1000, np.round(water, -1)).astype(int),
            "family_group": [f"G{g + 1:02d}" for g in group],
        }
    )
    waves = _bagru_ties(rng, kind, group, workers)
    rows = [
        (wave, units["unit_id"].iloc[i], units["unit_id"].iloc[j], tie)
        for wave, ties in waves.items()
        for tie, matrix in ties.items()
        for i, j in zip(*np.nonzero(np.triu(matrix, 1)), strict=True)
    ]
    ties = pd.DataFrame(rows, columns=["wave", "source", "target", "tie"])
    order = {"before": 0, "after": 1, "advice": 0, "trust": 1, "joint_order": 2}
    ties = ties.sort_values(
        ["wave", "tie", "source", "target"],
        key=lambda s: s.map(order) if s.name in ("wave", "tie") else s,
        ignore_index=True,
    )
    return {"bagru_units": units, "bagru_ties": ties}


def _sym(upper: np.ndarray) -> np.ndarray:
    """A symmetric boolean matrix without self-ties from the upper triangle of a draw."""
    upper = np.triu(upper, 1)
    return upper | upper.T


def _bagru_ties(
    rng: np.random.Generator, kind: np.ndarray, group: np.ndarray, workers: np.ndarray
) -> dict[str, dict[str, np.ndarray]]:
    n = len(kind)
    same = group[:, None] == group[None, :]
    makers = np.isin(kind, ["printer", "dyer", "trader"])
    can_order = makers[:, None] & makers[None, :]

    def draw(p: np.ndarray | float) -> np.ndarray:
        return _sym(rng.random((n, n)) < p)

    advice = draw(np.where(same, 0.16, 0.0035))
    trust = advice & draw(np.where(same, 0.55, 0.10))
    joint = trust & can_order & draw(0.12)
    before = {"advice": advice, "trust": trust, "joint_order": joint}

    advice = (advice & draw(0.92)) | draw(np.where(same, 0.05, 0.006))
    trust = (trust & draw(0.95)) | (advice & draw(np.where(same, 0.35, 0.30)))
    candidates = np.flatnonzero((kind == "printer") | (kind == "trader"))
    brokers = candidates[np.argsort(-workers[candidates], kind="stable")[:8]][[0, 3]]
    others = np.setdiff1d(np.arange(n), brokers)
    ordinary, joint = trust.copy(), joint.copy()
    for broker in brokers:
        reach = rng.choice(others, size=22, replace=False)
        advice[broker, reach] = advice[reach, broker] = True
        trust[broker, reach] = trust[reach, broker] = True
        partners = reach[can_order[broker, reach]][:8]
        joint[broker, partners] = joint[partners, broker] = True
    shared = ordinary.astype(int) @ ordinary.astype(int)  # common partners, brokers aside
    closing = _sym(rng.random((n, n)) < 1 - 0.88**shared) & ~trust
    trust |= closing
    advice |= closing & draw(0.5)
    joint = (joint & draw(0.9)) | (trust & can_order & draw(0.3))
    after = {"advice": advice, "trust": trust, "joint_order": joint}
    return {"before": before, "after": after}


#: Support institutions whose trust the Bagru units rate (stakeholder ids), with the
#: mean rating before and the rise after the trust-building year. Invented levels:
#: institutions that took part in the trust-building activities rise most.
BAGRU_INSTITUTIONS: dict[str, tuple[float, float]] = {
    row["institution_id"]: (float(row["rating_before"]), float(row["rise_after"]))
    for row in _source("bagru_institutions")
}


def bagru_institutions(rng: np.random.Generator) -> Frames:
    """Each Bagru unit's trust in the cluster's support institutions, in two waves."""
    units = bagru(_rng("bagru"))["bagru_units"]
    n = len(units)
    kind = units["kind"].to_numpy()
    family = units["family_group"].to_numpy()
    # Units of the larger family groups meet institutions more often and trust a little more.
    size = pd.Series(family).map(pd.Series(family).value_counts()).to_numpy()
    closeness = 0.25 * (size >= np.quantile(size, 0.5))
    rows = []
    for wave, after in (("before", 0.0), ("after", 1.0)):
        unit_effect = rng.normal(0, 0.45, size=n) + closeness
        for institution, (level, rise) in BAGRU_INSTITUTIONS.items():
            mean = level + after * rise + unit_effect - 0.3 * (kind == "trader")
            rating = np.clip(np.round(mean + rng.normal(0, 0.6, size=n)), 1, 5).astype(int)
            p_contact = np.clip(0.12 + 0.08 * rating + 0.15 * after, 0, 0.95)
            contact = rng.random(n) < p_contact
            rows.append(
                pd.DataFrame(
                    {
                        "wave": wave,
                        "unit_id": units["unit_id"],
                        "institution_id": institution,
                        "trust": rating,
                        "contact": contact,
                    }
                )
            )
    table = pd.concat(rows, ignore_index=True)
    return {"bagru_institution_trust": table}


# ------------------------------------------------------------------ governance

CLUSTERS = {"Atuntaqui": "ATU", "Chontales": "CHO", "Bagru": "BAG", "Senegal": "SEN"}
CATEGORY_SHARES = {
    "small_firms": 0.38,
    "large_firms": 0.10,
    "business_associations": 0.10,
    "service_providers": 0.12,
    "knowledge_institutions": 0.08,
    "local_government": 0.10,
    "civil_society": 0.12,
}
LEVEL = {"Atuntaqui": 2.7, "Chontales": 2.3, "Bagru": 2.0, "Senegal": 2.4}
GAIN = {"Atuntaqui": 0.8, "Chontales": 0.7, "Bagru": 1.0, "Senegal": 0.7}
CHARACTERISTICS = {
    "representative": (-0.2, 1.0),
    "responsive": (0.0, 1.0),
    "strategic": (-0.3, 0.9),
    "legitimate": (0.2, 0.8),
    "leading_joint_action": (-0.4, 1.3),
    "self_sustaining": (-0.6, 0.6),
}
# How much more (or less) each category rates the system than the average respondent.
CATEGORY_BIAS = {
    "small_firms": -0.35,
    "large_firms": 0.45,
    "business_associations": 0.2,
    "service_providers": 0.0,
    "knowledge_institutions": -0.05,
    "local_government": 0.35,
    "civil_society": -0.3,
}
WEIGHT = [0.55, 0.08, 0.10, 0.09, 0.05, 0.06, 0.07]
VOICE_BASELINE = [0.12, 0.32, 0.15, 0.10, 0.06, 0.20, 0.05]


def governance(rng: np.random.Generator) -> Frames:
    """Stakeholder ratings of the six characteristics, and weight versus voice."""
    categories = list(CATEGORY_SHARES)
    records = []
    for cluster, prefix in CLUSTERS.items():
        n = int(rng.integers(70, 91))
        people = pd.DataFrame(
            {
                "respondent_id": [f"{prefix}-R{i:03d}" for i in range(1, n + 1)],
                "category": rng.choice(categories, size=n, p=list(CATEGORY_SHARES.values())),
                "latent": rng.normal(0, 0.45, size=n),
                "in_follow_up": rng.random(n) < 0.85,
            }
        )
        extra = int(rng.integers(8, 14))
        newcomers = pd.DataFrame(
            {
                "respondent_id": [f"{prefix}-R{i:03d}" for i in range(n + 1, n + extra + 1)],
                "category": rng.choice(categories, size=extra, p=list(CATEGORY_SHARES.values())),
                "latent": rng.normal(0, 0.45, size=extra),
                "in_follow_up": True,
            }
        )
        for wave, who in (
            ("baseline", people),
            ("follow_up", pd.concat([people[people["in_follow_up"]], newcomers])),
        ):
            bias = who["category"].map(CATEGORY_BIAS).to_numpy()
            shrink = 1.0 if wave == "baseline" else 0.5  # categories agree more later
            ratings = {}
            for name, (offset, gain) in CHARACTERISTICS.items():
                mean = LEVEL[cluster] + offset + (wave == "follow_up") * GAIN[cluster] * gain
                if name == "representative":
                    mean = mean + shrink * 1.6 * bias  # voice gaps show most here
                score = mean + shrink * bias + who["latent"].to_numpy()
                ratings[name] = np.clip(np.round(score + rng.normal(0, 0.6, len(who))), 1, 5)
            records.append(
                pd.DataFrame(
                    {
                        "respondent_id": who["respondent_id"].to_numpy(),
                        "wave": wave,
                        "cluster": cluster,
                        "category": who["category"].to_numpy(),
                        **{k: v.astype(int) for k, v in ratings.items()},
                    }
                )
            )
    survey = pd.concat(records, ignore_index=True)

    rows = []
    for cluster in CLUSTERS:
        weight = _round_to_one(rng.dirichlet(np.array(WEIGHT) * 200))
        voice0 = rng.dirichlet(np.array(VOICE_BASELINE) * 100)
        voice1 = 0.35 * voice0 + 0.65 * rng.dirichlet(weight * 150)
        for wave, voice in (("baseline", voice0), ("follow_up", voice1)):
            rows += [
                (wave, cluster, c, w, v)
                for c, w, v in zip(categories, weight, _round_to_one(voice), strict=True)
            ]
    voice = pd.DataFrame(
        rows, columns=["wave", "cluster", "category", "weight_share", "voice_share"]
    )
    voice = voice.sort_values(["wave", "cluster"], kind="stable", ignore_index=True)
    return {"governance_survey": survey, "governance_voice": voice}


# ------------------------------------------------------------------ joint actions

# area: (lowest cost US$, highest cost US$, shortest months, longest months, benefit)
AREA_TERMS = {
    row["area"]: tuple(
        int(row[c])
        for c in ("cost_low_usd", "cost_high_usd", "months_low", "months_high", "benefit")
    )
    for row in _source("joint_action_areas")
}
JOINT_ACTIONS = [  # cluster, title, area, predatory risk, time-limited commitment
    (row["cluster"], row["title"], row["area"], row["predatory_risk"], _flag(row, "time_limited"))
    for row in _source("joint_actions")
]


def joint_actions(rng: np.random.Generator) -> Frames:
    """Proposed joint actions; cost, duration and benefit drawn around each area's terms."""
    table = pd.DataFrame(
        JOINT_ACTIONS, columns=["cluster", "title", "area", "predatory_risk", "time_limited"]
    )
    terms = np.array([AREA_TERMS[a] for a in table["area"]], dtype=float)
    n = len(table)
    cost = np.exp(rng.uniform(np.log(terms[:, 0]), np.log(terms[:, 1])))
    table["expected_benefit"] = np.clip(terms[:, 4] + rng.integers(-2, 3, size=n), 1, 10)
    table["cost_usd"] = (np.round(cost, -2)).astype(int)
    table["duration_months"] = rng.integers(terms[:, 2], terms[:, 3] + 1).astype(int)
    table.insert(0, "action_id", [f"JA{i:02d}" for i in range(1, n + 1)])
    return {"joint_actions": table}


# ------------------------------------------------------------------ stakeholders


def _stakeholders_by_cluster() -> dict[str, list[tuple[str, str, str, int, int]]]:
    """Cluster -> (name, commission category, organisation type, power, interest), in file order."""
    table: dict[str, list[tuple[str, str, str, int, int]]] = {}
    for row in _source("stakeholders"):
        entry = (
            row["name"],
            row["commission_category"],
            row["org_type"],
            int(row["power"]),
            int(row["interest"]),
        )
        table.setdefault(row["cluster"], []).append(entry)
    return table


STAKEHOLDERS = _stakeholders_by_cluster()


def stakeholders(rng: np.random.Generator) -> Frames:
    """Candidate Cluster Commission members with power and interest scores (no randomness)."""
    rows = [
        (f"{CLUSTERS[cluster]}-S{i:02d}", cluster, *entry)
        for cluster, entries in STAKEHOLDERS.items()
        for i, entry in enumerate(entries, start=1)
    ]
    columns = [
        "stakeholder_id",
        "cluster",
        "name",
        "commission_category",
        "org_type",
        "power",
        "interest",
    ]
    return {"stakeholders": pd.DataFrame(rows, columns=columns)}


# ------------------------------------------------------------------ Lomari (invented scenario)

#: The running scenario's invented leather cluster (see cdatools.scenario).
SCENARIO_CLUSTER = "Lomari"


def scenario(rng: np.random.Generator) -> Frames:
    """Lomari, the course's invented practice cluster: all hand-written, no randomness.

    The tables are read from ``datasets/sources/scenario_*.csv`` when the group is built,
    so editing them and regenerating is enough. ``rng`` is this group's own stream
    (``"scenario"``), unused today, so that drawing from it later changes no other dataset.
    """
    people = pd.DataFrame(_source("scenario_stakeholders"))
    people.insert(1, "cluster", SCENARIO_CLUSTER)
    people[["power", "interest"]] = people[["power", "interest"]].astype(int)
    conflicts = pd.DataFrame(_source("scenario_conflicts"))
    conflicts[["lesson", "month"]] = conflicts[["lesson", "month"]].astype(int)
    conflicts["also_involved"] = conflicts["also_involved"].replace("", None)
    story = pd.DataFrame(_source("scenario_story"))
    for column in ("lesson", "month_from", "month_to"):
        story[column] = story[column].astype(int)
    rows = _source("scenario_joint_actions")
    actions = pd.DataFrame(rows)
    actions.insert(1, "cluster", SCENARIO_CLUSTER)
    for column in ("expected_benefit", "cost_usd", "duration_months"):
        actions[column] = actions[column].astype(int)
    actions["time_limited"] = [_flag(row, "time_limited") for row in rows]
    ties = pd.DataFrame(_source("scenario_trust_ties"))
    ties["month"] = ties["month"].astype(int)
    return {
        "scenario_stakeholders": people,
        "scenario_conflicts": conflicts,
        "scenario_story": story,
        "scenario_joint_actions": actions,
        "scenario_trust_ties": ties,
    }


# ------------------------------------------------------------------ field-kit example

#: The invented cluster of the field kit's filled example (course/field-kit/example/).
FIELD_CLUSTER = "Example cluster (synthetic)"
FIELD_GROUPS = ["North village", "South village", "Market town"]
FIELD_KINDS = {"producer": 0.7, "trader": 0.15, "supplier": 0.15}
FIELD_INSTITUTIONS = [  # id, name, Commission category, mean rating at baseline, rise after
    ("I1", "Producers' association", "entrepreneurs", 3.0, 0.6),
    ("I2", "Municipality", "local_government", 2.2, 0.4),
    ("I3", "Technical school", "knowledge_gatekeepers", 2.8, 0.3),
    ("I4", "Microfinance branch", "service_institutions", 2.0, 0.2),
    ("I5", "Business development centre", "service_institutions", 2.4, 0.9),
]
FIELD_ACTORS = 24
FIELD_RESPONDENTS = 21


def field_example(rng: np.random.Generator) -> Frames:
    """A small invented cluster in the generic field-kit tables, two survey rounds."""
    n = FIELD_ACTORS
    group = rng.choice(len(FIELD_GROUPS), size=n, p=[0.4, 0.35, 0.25])
    kind = rng.choice(list(FIELD_KINDS), size=n, p=list(FIELD_KINDS.values()))
    workers = np.maximum(1, np.round(4 * rng.lognormal(0, 0.6, size=n))).astype(float)
    workers[rng.random(n) < 0.1] = np.nan  # some respondents do not say
    ids = [f"F{i:02d}" for i in range(1, n + 1)]
    actors = pd.DataFrame(
        {
            "actor_id": ids,
            "kind": kind,
            "group": [FIELD_GROUPS[g] for g in group],
            "workers": pd.array(workers, dtype="Int64"),
        }
    )
    same = group[:, None] == group[None, :]
    rows = []
    for wave, later in (("baseline", 0.0), ("follow_up", 1.0)):
        for i in range(n):
            p_advice = np.where(same[i], 0.30, 0.04 + 0.06 * later)
            p_advice[i] = 0
            advice = rng.random(n) < p_advice
            trust = advice & (rng.random(n) < 0.45 + 0.2 * later)
            joint = trust & (rng.random(n) < 0.25 + 0.25 * later)
            for tie, named in (("advice", advice), ("trust", trust), ("joint_order", joint)):
                rows += [(wave, ids[i], ids[j], tie) for j in np.flatnonzero(named)]
    ties = pd.DataFrame(rows, columns=["wave", "source", "target", "tie"])
    institutions = pd.DataFrame(
        [entry[:3] for entry in FIELD_INSTITUTIONS],
        columns=["institution_id", "name", "commission_category"],
    )
    ratings = []
    for wave, later in (("baseline", 0.0), ("follow_up", 1.0)):
        actor_effect = rng.normal(0, 0.4, size=n)
        for inst, _, _, level, rise in FIELD_INSTITUTIONS:
            score = level + later * rise + actor_effect + rng.normal(0, 0.6, size=n)
            trust = np.clip(np.round(score), 1, 5).astype(int)
            contact = rng.random(n) < np.clip(0.2 + 0.1 * trust, 0, 0.9)
            ratings.append(
                pd.DataFrame(
                    {
                        "wave": wave,
                        "actor_id": ids,
                        "institution_id": inst,
                        "trust": trust,
                        "contact": contact,
                    }
                )
            )
    return {
        "cluster_actors": actors,
        "cluster_ties": ties,
        "cluster_institutions": institutions,
        "cluster_institution_trust": pd.concat(ratings, ignore_index=True),
    }


def field_example_survey(rng: np.random.Generator) -> pd.DataFrame:
    """The field kit's filled governance survey: a few respondents, two rounds."""
    categories = list(CATEGORY_SHARES)
    n = FIELD_RESPONDENTS
    category = rng.choice(categories, size=n, p=list(CATEGORY_SHARES.values()))
    latent = rng.normal(0, 0.5, size=n)
    bias = pd.Series(category).map(CATEGORY_BIAS).to_numpy()
    records = []
    for wave, later in (("baseline", 0.0), ("follow_up", 1.0)):
        ratings = {
            name: np.clip(
                np.round(2.4 + offset + later * gain + bias + latent + rng.normal(0, 0.6, n)),
                1,
                5,
            ).astype(int)
            for name, (offset, gain) in CHARACTERISTICS.items()
        }
        records.append(
            pd.DataFrame(
                {
                    "respondent_id": [f"R{i:02d}" for i in range(1, n + 1)],
                    "wave": wave,
                    "cluster": FIELD_CLUSTER,
                    "category": category,
                    **ratings,
                }
            )
        )
    return pd.concat(records, ignore_index=True)


#: Files of the field kit's filled example: file name -> schema (a data package resource).
FIELD_FILES = {
    "governance_survey.csv": "governance_survey",
    "cluster_actors.csv": "cluster_actors",
    "cluster_ties.csv": "cluster_ties",
    "cluster_institutions.csv": "cluster_institutions",
    "cluster_institution_trust.csv": "cluster_institution_trust",
}


def write_field_example(out_dir: str | Path) -> list[Path]:
    """Write the field kit's filled example files (small, synthetic) into a folder.

    Parameters
    ----------
    out_dir : str or Path
        Folder to write into (the kit's is ``course/field-kit/example``).

    Returns
    -------
    list of Path
        The files written, in the order of ``FIELD_FILES``.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     names = [p.name for p in write_field_example(tmp)]
    >>> names[0]
    'governance_survey.csv'
    """
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    tables = field_example(_rng("field_example"))
    tables["governance_survey"] = field_example_survey(_rng("field_example_survey"))
    written = []
    for file_name, schema in FIELD_FILES.items():
        fields = datasets._resource(schema)["schema"]["fields"]
        write_csv(tables[schema], fields, folder / file_name)
        written.append(folder / file_name)
    return written


# ------------------------------------------------------------------ writing

GROUPS: dict[str, Callable[[np.random.Generator], Frames]] = {
    "cda_tasks": cda_tasks,
    "senegal": senegal,
    "atuntaqui": atuntaqui,
    "chontales": chontales,
    "bagru": bagru,
    "bagru_institutions": bagru_institutions,
    "governance": governance,
    "joint_actions": joint_actions,
    "stakeholders": stakeholders,
    "field_example": field_example,
    "scenario": scenario,
}


def build() -> dict[str, pd.DataFrame]:
    """Build every dataset in memory.

    Returns
    -------
    dict of str to pandas.DataFrame
        One table per dataset name, with at least the schema's columns.

    Examples
    --------
    >>> sorted(build())[:2]
    ['atuntaqui_firms', 'atuntaqui_service_use']
    """
    tables: dict[str, pd.DataFrame] = {}
    for group, make in GROUPS.items():
        tables.update(make(_rng(group)))
    return tables


def _cells(values: pd.Series, field: dict) -> list[str]:
    """Format one column as text, the same way on every platform and pandas version."""
    kind = field.get("type", "string")
    missing = values.isna().to_numpy()
    if kind == "date":
        text = [f"{v:%Y-%m-%d}" if not m else "" for v, m in zip(values, missing, strict=True)]
    elif kind == "boolean":
        text = ["true" if v else "false" for v in values]
    elif kind == "integer":
        text = [str(int(v)) if not m else "" for v, m in zip(values, missing, strict=True)]
    elif kind == "number":
        digits = DECIMALS.get(field["name"], 3)
        text = [
            f"{float(v) + 0.0:.{digits}f}" if not m else ""
            for v, m in zip(values, missing, strict=True)
        ]
    else:
        text = ["" if m else str(v) for v, m in zip(values, missing, strict=True)]
    return text


def write_csv(table: pd.DataFrame, fields: Sequence[dict], path: Path) -> None:
    """Write a table as UTF-8 CSV with '\\n' line endings, columns in schema order."""
    columns = [_cells(table[f["name"]], f) for f in fields]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow([f["name"] for f in fields])
        writer.writerows(zip(*columns, strict=True))


def generate(out_dir: str | Path | None = None) -> list[Path]:
    """Write every dataset's CSV file.

    Parameters
    ----------
    out_dir : str or Path, optional
        Folder to write into; defaults to the course's data folder
        (:func:`cdatools.datasets.data_dir`). The schemas always come from the course's
        ``datapackage.json``.

    Returns
    -------
    list of Path
        The files written, in the order of the data package.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     paths = generate(tmp)
    >>> len(paths) == len(datasets.list_datasets())
    True
    """
    folder = Path(out_dir) if out_dir is not None else datasets.data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    tables = build()
    written = []
    for resource in datasets._descriptor()["resources"]:
        path = folder / resource["path"]
        write_csv(tables[resource["name"]], resource["schema"]["fields"], path)
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m cdatools.datagen [--out DIR]``.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name.

    Returns
    -------
    int
        0 on success.
    """
    parser = argparse.ArgumentParser(prog="python -m cdatools.datagen", description=__doc__)
    parser.add_argument("--out", type=Path, default=None, help="folder to write the CSV files")
    parser.add_argument(
        "--field-example",
        type=Path,
        default=None,
        metavar="DIR",
        help="also write the field kit's filled example files (course/field-kit/example)",
    )
    args = parser.parse_args(argv)
    for path in generate(args.out):
        print(path)
    if args.field_example is not None:
        for path in write_field_example(args.field_example):
            print(path)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
