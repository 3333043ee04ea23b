"""The columnar core gives the answers the record-and-graph core gave, and the same problems.

The embedded store is compared with the networkx store it replaced (tests/reference_store.py),
report by report, on the shipped data and on 10,000 generated firms; the column reader of
tables with the row reader on files full of bad cells; the cache with an edited file.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from chain_graph.store.memory import MemoryStore
from chain_graph.synth import synthesize
from loaders import load_directory
from loaders.frames import parse_frame
from loaders.records import parse_rows
from loaders.tables import read_frame, stream_table
from tests.reference_store import ReferenceStore
from tests.test_parity import answers

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture(scope="module")
def shipped():
    return load_directory(DATA)


@pytest.mark.parametrize("dataset", ["shipped", "synthetic 10,000 firms"])
def test_columnar_store_answers_like_the_graph_store(shipped, dataset):
    ds = shipped.dataset if dataset == "shipped" else synthesize(shipped.dataset, firms=10_000, seed=7)
    new, old = MemoryStore(), ReferenceStore()
    new.load(ds)
    old.load(ds)
    expected, actual = answers(old), answers(new)
    assert expected.keys() == actual.keys()
    for key in expected:
        assert actual[key] == expected[key], key
    assert actual["firms:local"] and any(actual[k] for k in actual if k.startswith("targets:"))


def test_store_loaded_from_tables_answers_like_from_records(shipped):
    from_tables, from_records = MemoryStore(), MemoryStore()
    from_tables.load(shipped.tables)
    from_records.load(shipped.dataset)
    expected, actual = answers(from_records), answers(from_tables)
    expected.pop("version"), actual.pop("version")  # a file fingerprint vs a record fingerprint
    assert actual == expected


BAD_FIRMS = """\ufeffid,name,status,province,city,district,tags,registered_capital,founded,source,paid_in_capital,scale,insured
91620300JC0000001U,好企业,存续,甘肃省,金昌市,,链主;上市,"5,000万元",2020-01-02,x,1亿元,大型,12
91620300JC0000002Y,,存续,甘肃省,金昌市,,,5000,,,,,
,无编号企业,在业,甘肃省,金昌市,,,,,,,,
91620300JC0000003Y,坏状态,奇怪,甘肃省,金昌市,,,,,,,,
91620300JC0000004Y,坏资本,存续,甘肃省,金昌市,,,很多钱,,,,,

91620300JC0000005Y,坏日期,存续,甘肃省,金昌市,,,,2020-13-45,,,,
91620300JC0000006Y,全角　名称  空格,存续（在营、开业、在册）,甘肃省,金昌市,,高新技术企业、专精特新,1000万美元,2020年3月1日,,-5,巨型,-3
,,,,,,,,,,,,
91620300JC0000007Y,ＡＢＣ全角,注销企业,甘肃省,金昌市,,,1.2亿,,,,,abc
"""
BAD_LINKS = """firm_id,link_id,capacity,evidence,source
91620300JC0000001U,nickel_cobalt_intermediate,5万吨/年,,x
91620300JC0000001U,nickel_cobalt_intermediate,5 万吨,,x
91620300JC0000001U,no_such_link,5GWh,,x
91620300JC0000001U,no_such_link,lots,,x
91620300JC0000002Y,nickel_cobalt_intermediate,10GWh,,x
91620300JC0000002Y,nickel_cobalt_intermediate,-1万吨,,x
91620300JC0000002Y,nickel_cobalt_intermediate,"1,200吨",,x
91620300JC0000002Y,nickel_cobalt_intermediate,3e5吨,,x
,nickel_cobalt_intermediate,,,
"""


@pytest.mark.parametrize("kind,text", [("firms", BAD_FIRMS), ("firm_links", BAD_LINKS)])
def test_column_reader_reports_what_the_row_reader_reports(tmp_path, kind, text):
    path = tmp_path / f"{kind}.csv"
    path.write_text(text, encoding="utf-8")
    units = {"nickel_cobalt_intermediate": "万吨"}
    table = stream_table(path, path.name)
    by_row = parse_rows(kind, path.name, table.header, table.rows, units)
    header, cells, _ = read_frame(path, path.name)
    frame, problems, rejected = parse_frame(kind, path.name, header, cells, units)
    assert [str(p) for p in problems] == [str(p) for p in by_row.problems]
    assert rejected == by_row.rejected
    assert len(problems) >= 5
    model = type(by_row.records[0][0])
    from chain_graph.columnar import records_of

    assert records_of(model, frame) == [r for r, _ in by_row.records]
    assert frame.get_column("_row").to_list() == [w.row for _, w in by_row.records]


def test_quoted_line_breaks_and_gbk_go_through_the_row_reader(tmp_path):
    path = tmp_path / "firms.csv"
    path.write_bytes('id,name,status\n91620300JC0000001U,"两行\n名称",存续\n\n91620300JC0000002Y,乙,注销\n'.encode("gb18030"))
    header, cells, _ = read_frame(path, path.name)
    assert cells.get_column("name").to_list() == ["两行\n名称", "乙"]
    assert cells.get_column("_row").to_list() == [2, 4]


def test_cache_is_used_when_unchanged_and_never_stale(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    first = load_directory(data)
    import loaders.frames as frames

    calls = []
    monkeypatch.setattr(frames, "parse_frame", lambda *a: calls.append(a) or pytest.fail("read again"))
    again = load_directory(data)
    assert again.tables.key == first.tables.key and again.dataset == first.dataset
    monkeypatch.undo()
    firms = data / "firms.csv"
    text = firms.read_text(encoding="utf-8")
    name = first.dataset.firms[0].name
    firms.write_text(text.replace(name, name + "改", 1), encoding="utf-8")
    edited = load_directory(data)
    assert edited.tables.key != first.tables.key
    assert edited.dataset.firms[0].name == name + "改"
    store = MemoryStore()
    store.load(edited.tables)
    assert store.version() == edited.tables.key


def test_cache_key_remembers_a_big_files_hash_only_while_the_file_is_untouched(tmp_path, monkeypatch):
    from loaders import cache

    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    monkeypatch.setattr(cache, "STAT_MIN_BYTES", 0)  # every file counts as big
    monkeypatch.setattr(cache, "SETTLE_NS", 0)  # the copies were just written
    files = sorted(p for p in data.rglob("*") if p.is_file())
    first = cache.key(data, files)
    hashed = []
    real_hash = cache._hash
    monkeypatch.setattr(cache, "_hash", lambda path: hashed.append(path.name) or real_hash(path))
    assert cache.key(data, files) == first and hashed == []  # nothing read again
    firms = data / "firms.csv"
    before = firms.stat()
    text = firms.read_text(encoding="utf-8")
    edited = text.replace("在业", "存续", 1) if "在业" in text else text.replace("存续", "在业", 1)
    assert edited != text and len(edited.encode()) == len(text.encode())
    firms.write_text(edited, encoding="utf-8")
    os.utime(firms, ns=(before.st_atime_ns, before.st_mtime_ns))  # same size, same mtime: only ctime tells
    assert cache.key(data, files) != first and hashed == ["firms.csv"]
