"""YAML written by people, read strictly: no aliases (the formats need none, and a 400-byte alias
bomb expands to gigabytes), no repeated key in a mapping (the second would silently replace the
first: a second `links:` drops a chain's links), and no scalar with characters that hide what it
says (chain_graph.hygiene). Each refusal is a YAML error with the line it is on, its words a
Message (`problem(err)`), so it reads in the user's language.

libyaml (PyYAML's C parser) reads a document when it is there, ~10x faster than the pure-Python
parser: nine chain files took 1.3 s, now 0.1 s. The rules above are checked while the nodes are
turned into values, which is Python code either way. libyaml resolves an alias to the very node
of its anchor (no copy, so a bomb stays small), so a composed document with any node reached twice
held an alias; that document, or one libyaml refuses, is read again by the pure-Python parser,
which refuses it exactly as before (same words, same line).
"""

from __future__ import annotations

import functools

import yaml

from chain_graph import hygiene
from chain_graph.i18n import Message, msg


class Refused(yaml.MarkedYAMLError):
    """A strict rule's refusal; `message` says it in either language, str() in Chinese."""

    def __init__(self, message: Message, mark):
        super().__init__(problem=message.text("zh"), problem_mark=mark)
        self.message = message


def problem(err: yaml.YAMLError) -> Message | str:
    """What is wrong: the rule's Message, or the YAML parser's own (English) words."""
    return getattr(err, "message", None) or getattr(err, "problem", None) or str(err)


class _Rules:
    """Repeated keys and hidden characters, checked as nodes become values (any parser)."""

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            first: dict = {}  # key → the line it was first on
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                try:
                    if key in first:
                        raise Refused(msg("yaml.duplicate", name=key, first=first[key]), key_node.start_mark)
                    first[key] = key_node.start_mark.line + 1
                except TypeError:
                    continue  # an unhashable key: the constructor reports it
        return super().construct_mapping(node, deep=deep)

    def construct_scalar(self, node):
        value = super().construct_scalar(node)
        why = hygiene.flaw(value) if isinstance(value, str) else None
        if why:
            raise Refused(why, node.start_mark)
        return value


class StrictLoader(_Rules, yaml.SafeLoader):
    """The pure-Python reader, which sees an alias before it is resolved."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            raise Refused(msg("yaml.alias"), self.peek_event().start_mark)
        return super().compose_node(parent, index)


class _Again(Exception):
    """libyaml's reading is not taken: the pure-Python parser reads the text."""


class _Composed:
    """On libyaml: a document whose nodes share a node (an alias) is handed to the pure-Python parser."""

    def get_single_node(self):
        try:
            node = super().get_single_node()
        except yaml.YAMLError:
            raise _Again from None  # told in the pure-Python parser's words, as before
        seen: set[int] = set()
        stack = [node] if node is not None else []
        while stack:
            n = stack.pop()
            if id(n) in seen:
                raise _Again
            seen.add(id(n))
            if isinstance(n, yaml.SequenceNode):
                stack.extend(n.value)
            elif isinstance(n, yaml.MappingNode):
                stack.extend(part for pair in n.value for part in pair)
        return node


_FAST = getattr(yaml, "CSafeLoader", None)


@functools.cache
def _loaders(extra: type | None) -> tuple[type | None, type]:
    """(libyaml loader or None, pure-Python loader), each with `extra`'s methods on top."""
    mixins = (extra,) if extra else ()
    slow = type("Strict", (*mixins, StrictLoader), {})
    fast = type("FastStrict", (*mixins, _Composed, _Rules, _FAST), {}) if _FAST else None
    return fast, slow


def load(text: str, extra: type | None = None):
    """The document in `text`; yaml.YAMLError (with `problem_mark`) when it is refused. `extra`, a class
    whose methods override a loader's (e.g. construct_mapping), is applied with either parser."""
    fast, slow = _loaders(extra)
    if fast is not None:
        try:
            return yaml.load(text, Loader=fast)  # noqa: S506 - a SafeLoader (libyaml) with the rules above
        except _Again:
            pass
    return yaml.load(text, Loader=slow)  # noqa: S506 - a SafeLoader subclass
