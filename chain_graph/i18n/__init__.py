"""Words the user reads, Chinese first and English second: one catalogue for the app, the CLI and
every message.

Code never holds a sentence. It names a key (`t("col.firm", lang)`) or returns a Message (a key
and its values) that a front end renders in the user's language, so the same problem reads in
either language and tests check the key, not a sentence. The catalogue is data: the *.yaml files
beside this module, split by area (core, messages, import, cli, one per app page) so people who
add words at the same time rarely touch the same file; one key a line:

    data.upload_failed: ["校验发现 {errors} 个错误", "{errors} error(s) found"]

A key lives in exactly one file; tests/test_i18n.py checks that every key has both languages and
the same {values} in each, that every key named in code exists, and that no key is unused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

import yaml

from ..rules import currency_word

LANGS = ("zh", "en")
CATALOG_DIR = Path(__file__).parent


class CatalogError(ValueError):
    """A catalogue file that breaks the rules above (found when the module is imported)."""


def _read_catalog(folder: Path) -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """Every key of every *.yaml in `folder` and the file it is in; a key in two places is an error."""
    catalog: dict[str, tuple[str, str]] = {}
    home: dict[str, str] = {}
    for path in sorted(folder.glob("*.yaml")):
        # composed, not loaded: every scalar stays a string (`yes` is no boolean) and a repeated key is seen
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CBaseLoader", yaml.BaseLoader))  # libyaml: ~15x faster
        for key_node, value_node in root.value if root is not None else []:
            key, line = key_node.value, f"{path.name}:{key_node.start_mark.line + 1}"
            pair = [n.value for n in value_node.value] if isinstance(value_node, yaml.SequenceNode) else []
            if len(pair) != len(LANGS) or not all(isinstance(s, str) and s.strip() for s in pair):
                raise CatalogError(f"{line}: {key} needs [中文, English]")
            if key in catalog:
                raise CatalogError(f"{line}: {key} is also in {home[key]}")
            catalog[key], home[key] = (pair[0], pair[1]), path.name
    return catalog, home


CATALOG, HOME = _read_catalog(CATALOG_DIR)


@dataclass(frozen=True)
class Message:
    """A sentence not yet in a language: its key and the values it names. A value that is itself a
    Message is rendered in the same language."""

    key: str
    params: Mapping[str, object] = field(default_factory=dict)

    def text(self, lang: str = "zh") -> str:
        return t(self.key, lang, **self.params)

    def __str__(self) -> str:
        return self.text("zh")


def msg(key: str, **params: object) -> Message:
    """The short way to make a Message: msg("val.unknown_link", value=link_id)."""
    return Message(key, params)


class Failure(Exception):
    """An error a user reads: it carries a Message, and str() is its Chinese text."""

    def __init__(self, message: Message):
        super().__init__(message)
        self.message = message

    def text(self, lang: str = "zh") -> str:
        return self.message.text(lang)

    def __str__(self) -> str:
        return self.message.text("zh")


def text(value: "Message | str | None", lang: str = "zh") -> str:
    """A Message in `lang`; a plain string (a name, a value from a file) as it is."""
    if value is None:
        return ""
    return value.text(lang) if isinstance(value, Message) else str(value)


def _value(value: object, lang: str) -> object:
    """A value as the sentence shows it: a Message in `lang`, a list of them joined with '；'."""
    if isinstance(value, Message):
        return value.text(lang)
    if isinstance(value, (list, tuple)):
        return "；".join(str(_value(v, lang)) for v in value)
    return value


def t(key: str, lang: str = "zh", **params: object) -> str:
    """The text of `key` in `lang`; an unknown key shows as itself so a gap is visible, not fatal."""
    pair = CATALOG.get(key)
    if pair is None:
        return key
    values = {name: _value(v, lang) for name, v in params.items()}
    return pair[LANGS.index(lang) if lang in LANGS else 0].format(**values)


def yi(amount: float | None, lang: str = "zh") -> str:
    """An amount in 亿元 with its unit."""
    if amount is None:
        return t("word.na", lang)
    return f"{amount:,.2f} 亿元" if lang == "zh" else f"CNY {amount:,.2f} 100M (亿元)"


def yi_sum(total: float | None, unknown: int, lang: str = "zh") -> str:
    """A total of 亿元 (rules.known_sum: None when no amount is known) and its count of unknown amounts,
    so unknown never reads as zero: 未知（14个项目无金额） / 12.50 亿元（另3个项目无金额）."""
    if total is None:
        return t("amount.all_unknown", lang, n=unknown) if unknown else t("word.na", lang)
    return t("amount.some_unknown", lang, amount=yi(total, lang), n=unknown) if unknown else yi(total, lang)


def wan_yuan(amount: float | None, currency: str = "CNY", lang: str = "zh") -> str:
    """Registered capital (万元) the way Chinese registries print it."""
    if amount is None:
        return t("word.na", lang)
    unit = currency_word(currency)
    return f"{amount / 10000:,.2f}亿{unit}" if amount >= 10000 else f"{amount:,.0f}万{unit}"


def number(x: float) -> str:
    """A quantity without float noise or scientific notation: 30,000 / 2.6 / 0.125."""
    return f"{x:,.3f}".rstrip("0").rstrip(".")


def quantity(value: float | None, unit: str | None, lang: str = "zh") -> str:
    """A capacity with its link's unit: 5万吨 in Chinese, 5 万吨 in English."""
    if value is None:
        return t("word.na", lang)
    return f"{number(value)}{'' if lang == 'zh' else ' '}{unit or ''}".strip()


def percent(share: float | None, lang: str = "zh") -> str:
    return t("word.na", lang) if share is None else f"{share:.0%}"
