"""The benchmark's three questions answered by plain dataframe tools from the same files, no validation.

    .venv/bin/python bench/peers.py polars|duckdb|pandas|chain-graph|floor DATA_DIR [LINK]

1. per link of the battery chain: the active local firms and their capacity (count, sum);
2. per chain: how many links have 0, 1 and 2 or more active local firms;
3. the top 50 active non-local firms on one link by a capital-and-tags score
   (0.5 × log-scale of registered capital + 0.5 × best tag value, as chain_graph.analysis.targets).

Prints one JSON line of answers; bench/run.py runs each tool in a fresh process, times it end
to end (interpreter start included) and checks every tool gives the same answers. The peers read
capacities written in the link's own unit and capital written in 万元 or 亿元, which is all the
generator (chain-graph synth) writes; chain-graph reads and validates everything.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

CHAIN = "new_energy_battery"
TOP = 50
FULL_SCALE = 1_000_000  # 万元: AnalysisSettings.full_scale_capital
TAG_VALUES = {"链主": 1.0, "500强": 1.0, "行业百强": 0.8, "上市": 0.8, "隐形冠军": 0.8, "专精特新": 0.6, "高新技术企业": 0.3}


def structure(data: Path) -> tuple[dict, list[dict]]:
    import yaml

    region = yaml.safe_load((data / "region.yaml").read_text(encoding="utf-8"))
    links = []
    for path in sorted((data / "chains").glob("*.yaml")):
        chain = yaml.safe_load(path.read_text(encoding="utf-8"))
        links += [{"id": l["id"], "chain": chain["id"], "unit": l.get("unit")} for l in chain["links"]]
    return region, links


def answer(per_link: dict[str, tuple[int, float | None]], links: list[dict], top: list[str]) -> dict:
    """The answers in one shape for every tool: Q1 battery links, Q2 per chain, Q3 firm ids."""
    q1 = {l["id"]: [per_link.get(l["id"], (0, None))[0], _round(per_link.get(l["id"], (0, None))[1])]
          for l in links if l["chain"] == CHAIN}
    q2: dict[str, list[int]] = {}
    for l in links:
        n = per_link.get(l["id"], (0, None))[0]
        q2.setdefault(l["chain"], [0, 0, 0])[min(n, 2)] += 1
    return {"q1": q1, "q2": q2, "q3": top}


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 6)


def scale(capital: float | None) -> float:
    return 0.0 if not capital else round(min(1.0, math.log10(1 + capital) / math.log10(1 + FULL_SCALE)), 4)


def with_polars(data: Path, link: str) -> dict:
    import polars as pl

    region, links = structure(data)
    firms = pl.read_csv(data / "firms.csv", infer_schema=False, columns=["id", "status", "province", "city", "tags",
                                                                           "registered_capital"])
    placed = pl.read_csv(data / "firm_links.csv", infer_schema=False, columns=["firm_id", "link_id", "capacity"])
    firms = firms.with_columns(
        ((pl.col("province") == region["province"]) & (pl.col("city") == region["city"])).fill_null(False).alias("local"),
        pl.col("status").is_in(["active", "存续", "在业"]).alias("active"),
    )
    units = pl.DataFrame({"link_id": [l["id"] for l in links], "unit": [l["unit"] for l in links]})
    local = placed.join(firms.filter(pl.col("local") & pl.col("active")).select(pl.col("id").alias("firm_id")),
                        on="firm_id").join(units, on="link_id", how="left")
    local = local.with_columns(pl.when(pl.col("capacity").str.ends_with(pl.col("unit")))
                               .then(pl.col("capacity").str.extract(r"^([0-9.]+)").cast(pl.Float64)).alias("cap"))
    per_link = {lid: (n, cap if known else None) for lid, n, cap, known in local.group_by("link_id").agg(
        pl.len(), pl.col("cap").sum().alias("total"), pl.col("cap").is_not_null().any().alias("known")).iter_rows()}
    value = pl.col("registered_capital").str.replace_all(",", "")
    capital = (pl.when(value.str.ends_with("亿元")).then(value.str.strip_suffix("亿元").cast(pl.Float64) * 10000)
               .otherwise(value.str.strip_suffix("万元").cast(pl.Float64, strict=False)))
    tag = pl.col("tags").str.split(";").list.eval(pl.element().replace_strict(TAG_VALUES, default=0.0)).list.max()
    ranked = (placed.filter(pl.col("link_id") == link)
              .join(firms.filter(~pl.col("local") & pl.col("active")), left_on="firm_id", right_on="id")
              .with_columns(capital.alias("cap"), tag.fill_null(0.0).alias("tag"))
              .with_columns(pl.when(pl.col("cap") > 0).then(
                  ((pl.col("cap") + 1).log10() / math.log10(1 + FULL_SCALE)).clip(upper_bound=1.0).round(4))
                  .otherwise(0.0).alias("scale"))
              .with_columns((0.5 * pl.col("scale") + 0.5 * pl.col("tag")).round(6).alias("score"))
              .sort(["score", "firm_id"], descending=[True, False]).head(TOP))
    return answer(per_link, links, ranked.get_column("firm_id").to_list())


def with_duckdb(data: Path, link: str) -> dict:
    import duckdb

    region, links = structure(data)
    con = duckdb.connect()
    con.execute("CREATE TABLE units (link_id VARCHAR, unit VARCHAR)")
    con.executemany("INSERT INTO units VALUES (?, ?)", [(l["id"], l["unit"]) for l in links])
    tags = " ".join(f"WHEN '{t}' THEN {v}" for t, v in TAG_VALUES.items())
    read = "read_csv(?, all_varchar=true, header=true)"
    con.execute(f"""CREATE TABLE firms AS SELECT id, province = ? AND city = ? AS local,
        status IN ('active', '存续', '在业') AS active, tags, replace(registered_capital, ',', '') AS capital
        FROM {read}""", [region["province"], region["city"], str(data / "firms.csv")])
    con.execute(f"CREATE TABLE placed AS SELECT firm_id, link_id, capacity FROM {read}", [str(data / "firm_links.csv")])
    rows = con.execute("""SELECT p.link_id, count(*),
        sum(CASE WHEN ends_with(p.capacity, u.unit) THEN TRY_CAST(regexp_extract(p.capacity, '^([0-9.]+)', 1) AS DOUBLE) END)
        FROM placed p JOIN firms f ON f.id = p.firm_id AND coalesce(f.local, false) AND f.active
        LEFT JOIN units u ON u.link_id = p.link_id GROUP BY p.link_id""").fetchall()
    per_link = {lid: (n, cap) for lid, n, cap in rows}
    top = con.execute(f"""WITH c AS (SELECT p.firm_id,
            CASE WHEN ends_with(f.capital, '亿元') THEN TRY_CAST(rtrim(f.capital, '亿元') AS DOUBLE) * 10000
                 ELSE TRY_CAST(replace(f.capital, '万元', '') AS DOUBLE) END AS cap,
            coalesce((SELECT max(CASE t {tags} ELSE 0.0 END) FROM unnest(string_split(f.tags, ';')) AS x(t)), 0.0) AS tag
          FROM placed p JOIN firms f ON f.id = p.firm_id AND NOT coalesce(f.local, false) AND f.active
          WHERE p.link_id = ?)
        SELECT firm_id FROM c ORDER BY round(0.5 * (CASE WHEN cap > 0 THEN round(least(1.0, log10(cap + 1) / log10(?)), 4)
          ELSE 0.0 END) + 0.5 * tag, 6) DESC, firm_id LIMIT {TOP}""", [link, 1 + FULL_SCALE]).fetchall()
    return answer(per_link, links, [r[0] for r in top])


def with_pandas(data: Path, link: str) -> dict:
    import numpy as np
    import pandas as pd

    region, links = structure(data)
    firms = pd.read_csv(data / "firms.csv", dtype=str, keep_default_na=False,
                        usecols=["id", "status", "province", "city", "tags", "registered_capital"])
    placed = pd.read_csv(data / "firm_links.csv", dtype=str, keep_default_na=False,
                         usecols=["firm_id", "link_id", "capacity"])
    firms["local"] = (firms["province"] == region["province"]) & (firms["city"] == region["city"])
    firms["active"] = firms["status"].isin(["active", "存续", "在业"])
    unit = placed["link_id"].map({l["id"]: l["unit"] for l in links}).fillna("\0")
    mine = set(firms.loc[firms["local"] & firms["active"], "id"])
    local = placed[placed["firm_id"].isin(mine)].copy()
    ends = [c.endswith(u) for c, u in zip(local["capacity"], unit[local.index])]
    local["cap"] = np.where(ends, pd.to_numeric(local["capacity"].str.extract(r"^([0-9.]+)")[0], errors="coerce"), np.nan)
    grouped = local.groupby("link_id")["cap"].agg(["size", "sum", "count"])
    per_link = {lid: (int(r["size"]), r["sum"] if r["count"] else None) for lid, r in grouped.iterrows()}
    cand = placed[placed["link_id"] == link].merge(firms[~firms["local"] & firms["active"]], left_on="firm_id",
                                                   right_on="id")
    value = cand["registered_capital"].str.replace(",", "")
    cap = np.where(value.str.endswith("亿元"), pd.to_numeric(value.str.removesuffix("亿元"), errors="coerce") * 10000,
                   pd.to_numeric(value.str.removesuffix("万元"), errors="coerce"))
    cand["scale"] = np.where(cap > 0, np.round(np.minimum(1.0, np.log10(cap + 1) / math.log10(1 + FULL_SCALE)), 4), 0.0)
    cand["tag"] = [max((TAG_VALUES.get(t, 0.0) for t in s.split(";")), default=0.0) for s in cand["tags"]]
    cand["score"] = np.round(0.5 * cand["scale"] + 0.5 * cand["tag"], 6)
    top = cand.sort_values(["score", "firm_id"], ascending=[False, True]).head(TOP)
    return answer(per_link, links, top["firm_id"].tolist())


def with_chain_graph(data: Path, link: str) -> dict:
    """What `chain-graph` does for the same questions: read and validate (or the cache), store, analyses."""
    from chain_graph.analysis.targets import features
    from chain_graph.settings import AnalysisSettings
    from chain_graph.store.memory import MemoryStore
    from loaders import load_directory

    result = load_directory(data)
    store = MemoryStore()
    store.load(result.tables)
    links = [{"id": l.id, "chain": l.chain, "unit": l.unit} for l in store.links()]
    presence = store.presence([l["id"] for l in links])
    per_link = {lid: (len(p.local_firms), p.local_capacity) for lid, p in presence.items() if p.local_firms}
    region, settings = store.region(), AnalysisSettings()
    scored = []
    for c in store.candidates([link]):
        f = features(c, region, settings)
        scored.append((-round(0.5 * f["scale"] + 0.5 * f["tags"], 6), c.firm_id))
    return answer(per_link, links, [firm for _, firm in sorted(scored)[:TOP]])


def read_floor(data: Path, link: str) -> dict:
    """Only reading the two big files with polars: the least any tool can spend."""
    import polars as pl

    pl.read_csv(data / "firms.csv", infer_schema=False)
    pl.read_csv(data / "firm_links.csv", infer_schema=False)
    return {}


TOOLS = {"floor": read_floor, "polars": with_polars, "duckdb": with_duckdb, "pandas": with_pandas, "chain-graph": with_chain_graph}

if __name__ == "__main__":
    tool, data = sys.argv[1], Path(sys.argv[2])
    link = sys.argv[3] if len(sys.argv) > 3 else "nickel_sulfate"
    print(json.dumps(TOOLS[tool](data, link), ensure_ascii=False, sort_keys=True))
