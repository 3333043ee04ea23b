"""The one-line notices of the data safeguards (locks, atomic commits, input limits, text hygiene),
Chinese first, English with CHAIN_GRAPH_LANG=en: kept in one place so they move into the
shared catalogue as a block."""

from __future__ import annotations

import os

NOTICES: dict[str, tuple[str, str]] = {
    # one writer at a time
    "lock.dir_busy": (
        "数据目录 {root} 正有另一个写入在进行（{holder}），已等待 {wait:.0f} 秒；请稍后重试（CHAIN_GRAPH_LOCK_WAIT 可调等待秒数）",
        "data directory {root} is being written by another process ({holder}); waited {wait:.0f} s; "
        "try again later (CHAIN_GRAPH_LOCK_WAIT sets the wait)",
    ),
    "lock.store_busy": (
        "Neo4j {uri}（{database}）正由另一个加载写入（{holder}），本次未写入任何数据；等它结束后再运行",
        "Neo4j at {uri} ({database}) is being written by another load ({holder}); nothing was written; "
        "run again when it has finished",
    ),
    "lock.store_lost": (
        "加载期间失去了 Neo4j {uri} 的写入锁（另一个加载接管了它），本次未切换数据，原有数据不变",
        "lost the write lease on Neo4j at {uri} during the load (another load took it over); "
        "nothing was switched, the previous data is unchanged",
    ),
    # limits on what a file may expand to
    "limit.rows": (
        "{file}：超过 {limit:,} 行的上限，已拒绝（CHAIN_GRAPH_MAX_ROWS 可调）",
        "{file}: more than {limit:,} rows, refused (CHAIN_GRAPH_MAX_ROWS raises the limit)",
    ),
    "limit.cells": (
        "{file}：超过 {limit:,} 个单元格的上限，已拒绝（CHAIN_GRAPH_MAX_CELLS 可调）",
        "{file}: more than {limit:,} cells, refused (CHAIN_GRAPH_MAX_CELLS raises the limit)",
    ),
    "limit.unzipped": (
        "{file}：解压后超过 {limit_mb:,} MB 的上限（压缩炸弹？），已拒绝（CHAIN_GRAPH_MAX_UNZIPPED_MB 可调）",
        "{file}: expands to more than {limit_mb:,} MB (a zip bomb?), refused (CHAIN_GRAPH_MAX_UNZIPPED_MB raises the limit)",
    ),
    "limit.columns": (
        "{file}：第 {row} 行超过 {limit:,} 列的上限，已拒绝",
        "{file}: row {row} has more than {limit:,} columns, refused",
    ),
    "yaml.alias": (
        "YAML 别名/锚点（&、*）不被接受：请直接写出内容",
        "YAML aliases and anchors (& and *) are not accepted: write the content out",
    ),
    "yaml.duplicate": (
        "重复的键 {key!r}（第一次在第 {first} 行）：后一个会悄悄覆盖前一个",
        "duplicate key {key!r} (first on line {first}): the second would silently replace the first",
    ),
    "yaml.too_big": (
        "YAML 文件超过 {limit_mb:,} MB 的上限，已拒绝",
        "the YAML file is larger than {limit_mb:,} MB, refused",
    ),
    # text hygiene
    "text.control": (
        "含有不可见的控制字符 {chars}（第 {position} 个字符），已拒绝；请删除后重存",
        "contains the invisible control character(s) {chars} (at character {position}), refused; delete them",
    ),
    "text.bidi": (
        "含有改变文字方向的字符 {chars}（第 {position} 个字符），可能伪装内容，已拒绝；请删除后重存",
        "contains text-direction override character(s) {chars} (at character {position}) that can disguise "
        "the text, refused; delete them",
    ),
    "text.hint": ("删除这些字符后重新保存文件", "delete these characters and save the file again"),
    # sign-in
    "signin.wait": ("尝试次数过多，请 {seconds} 秒后再试。", "Too many attempts: try again in {seconds} s."),
}


def notice(key: str, **params: object) -> str:
    """The notice `key` in the user's language (CHAIN_GRAPH_LANG, Chinese unless `en`)."""
    zh, en = NOTICES[key]
    return (en if os.environ.get("CHAIN_GRAPH_LANG") == "en" else zh).format(**params)
