"""Import speed and peak memory on a generated platform export (企查查-style headers and cells).

Generates a file of --rows rows (CSV in GB18030 by default: 100,000 rows are about 80 MB, or 115 MB
in UTF-8), then imports it twice into a copy of the shipped data directory, each in a fresh process
so the peak RSS is the import's alone: the first run writes every firm, the second (idempotent)
finds nothing to change. Beside them, the peer: polars merely reading the same file (decoded by
Python's codec when it is not UTF-8, as polars reads only UTF-8) and writing it back as CSV, in a
fresh process too; each import is printed as a multiple of the peer's time (same run, same load).
Seconds are wall-clock and CPU (the machine is shared: CPU seconds say what the work costs).

    .venv/bin/python bench/import_speed.py [--rows 100000] [--encoding gb18030|utf-8-sig] [--keep DIR]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from chain_graph.creditcode import ALPHABET, check_digit
from loaders import load_directory

ROOT = Path(__file__).resolve().parent.parent

HEADER = ["序号", "企业名称", "登记状态", "法定代表人", "注册资本", "成立日期", "统一社会信用代码", "所属省份", "所属城市",
          "所属区县", "电话", "企业类型", "国标行业", "经营范围", "企业标签", "是否上市"]
BOILERPLATE = ("技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广", "货物进出口", "技术进出口", "信息咨询服务（不含许可类信息咨询服务）",
               "企业管理咨询", "会议及展览服务", "非居住房地产租赁", "机械设备租赁", "日用百货销售", "五金产品批发",
               "电子产品销售", "化工产品销售（不含许可类化工产品）", "金属材料销售", "新材料技术研发", "资源再生利用技术研发",
               "普通机械设备安装服务", "国内贸易代理", "环境保护专用设备销售", "办公设备耗材销售", "劳务服务（不含劳务派遣）",
               "信息技术咨询服务", "数据处理和存储支持服务", "专用化学产品销售（不含危险化学品）", "合成材料销售",
               "石墨及碳素制品销售", "有色金属合金销售", "金属矿石销售", "仪器仪表销售", "特种设备销售", "塑料制品销售",
               "建筑材料销售", "包装材料及制品销售", "供应链管理服务", "装卸搬运", "普通货物仓储服务（不含危险化学品等需许可审批的项目）")
TAIL = "（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）许可项目：道路货物运输（不含危险货物）（依法须经批准的项目，经相关部门批准后方可开展经营活动，具体经营项目以相关部门批准文件或许可证件为准）"
STATUSES = ("存续（在营、开业、在册）",) * 14 + ("在业", "注销", "吊销，未注销", "迁出")
PROVINCES = ("广东省", "江苏省", "浙江省", "甘肃省", "四川省", "湖南省", "青海省", "山东省")
TAGS = ("", "", "", "高新技术企业", "专精特新小巨人", "高新技术企业;科技型中小企业", "小微企业")


def generate(path: Path, rows: int, encoding: str, seed: int = 5) -> None:
    rng = random.Random(seed)
    links = [link for link in load_directory(ROOT / "data").dataset.links if link.keywords]
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        codes: list[str] = []
        for i in range(rows):
            body = f"91{rng.randint(110000, 659000)}" + "".join(rng.choice(ALPHABET) for _ in range(9))
            code = body + check_digit(body)
            if i and rng.random() < 0.01:
                code = rng.choice(codes[-100:])  # a repeated firm
            elif rng.random() < 0.005:
                code = code[:-1] + ("0" if code[-1] != "0" else "1")  # a typo
            codes.append(code)
            link = rng.choice(links)
            items = rng.sample(BOILERPLATE, rng.randint(14, 26))
            items.insert(rng.randint(0, len(items)), f"{rng.choice(link.keywords)}的研发、生产、销售")
            writer.writerow([
                i + 1, f"{rng.choice(PROVINCES)[:2]}{rng.randint(0, 10**6):06d}新材料科技有限公司", rng.choice(STATUSES),
                "张三", f"{rng.randint(50, 500000):,}.000000万元人民币", f"{rng.randint(1990, 2024)}-{rng.randint(1, 12):02d}-"
                f"{rng.randint(1, 28):02d}", code, rng.choice(PROVINCES), "某市", "某区", "0931-8888888", "有限责任公司",
                "制造业", "一般项目：" + "；".join(items) + "。" + TAIL, rng.choice(TAGS), "否" if rng.random() < 0.97 else "是",
            ])


def measure(file: Path, data: Path) -> None:
    """Run in a fresh process: one import, its seconds and this process's peak RSS, as JSON."""
    from chain_graph_app.service.importing import import_file

    started, cpu = time.perf_counter(), time.process_time()
    report = import_file(file, file.name, data)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(json.dumps({"seconds": seconds, "cpu": cpu, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "counts": report.counts, "failure": report.failure_text("en"), "written": report.written}))


def peer(file: Path, out: Path) -> None:
    """Run in a fresh process: polars reads the file (every cell as text) and writes it back; seconds as JSON."""
    import io

    import polars as pl

    started, cpu = time.perf_counter(), time.process_time()
    raw = file.read_bytes()
    try:
        text = raw.decode("utf-8-sig").encode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("gb18030").encode("utf-8")
    frame = pl.read_csv(io.BytesIO(text), infer_schema=False)
    frame.write_csv(out)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(json.dumps({"seconds": seconds, "cpu": cpu, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "rows": frame.height}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--encoding", default="gb18030", choices=("gb18030", "utf-8-sig"))
    parser.add_argument("--keep", type=Path, help="keep the generated file and data directory here")
    parser.add_argument("--measure", nargs=2, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--peer", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure or args.peer:
        measure(*args.measure) if args.measure else peer(*args.peer)
        return
    work = Path(args.keep or tempfile.mkdtemp(prefix="import-speed-"))
    work.mkdir(parents=True, exist_ok=True)
    file, data = work / "企业名单.csv", work / "data"
    shutil.rmtree(data, ignore_errors=True)
    shutil.copytree(ROOT / "data", data)
    generate(file, args.rows, args.encoding)
    size = file.stat().st_size / 2**20
    print(f"{args.rows:,} rows, {size:,.0f} MB ({args.encoding}) into a copy of data/")
    run = subprocess.run([sys.executable, __file__, "--peer", str(file), str(work / "peer.csv")],
                         capture_output=True, text=True, check=True)
    floor = json.loads(run.stdout)
    print(f"{'peer: polars read + write':>24}: {floor['seconds']:6.1f} s wall, {floor['cpu']:6.1f} s CPU, "
          f"{args.rows / floor['seconds']:8,.0f} rows/s, peak RSS {floor['rss_mb']:,.0f} MB")
    for label in ("first import", "re-import (idempotent)"):
        run = subprocess.run([sys.executable, __file__, "--measure", str(file), str(data)],
                             capture_output=True, text=True, check=True)
        result = json.loads(run.stdout)
        if result["failure"]:
            sys.exit(f"{label} failed: {result['failure']}")
        c = result["counts"]
        print(f"{label:>24}: {result['seconds']:6.1f} s wall, {result['cpu']:6.1f} s CPU, "
              f"{args.rows / result['seconds']:8,.0f} rows/s ({args.rows / result['cpu']:,.0f} per CPU second), "
              f"x{result['seconds'] / floor['seconds']:.1f} the peer, peak RSS {result['rss_mb']:,.0f} MB; "
              f"accepted {c['accepted']:,}, rejected {c['rejected']:,}, merged {c['merged']:,}, "
              f"placed {c.get('classified', 0):,}, review {c.get('unclassified', 0):,}; "
              f"wrote {', '.join(result['written']) or 'nothing'}")
    if not args.keep:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
