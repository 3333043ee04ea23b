"""YAML written by people, read strictly: no aliases (the formats need none, and a 400-byte alias
bomb expands to gigabytes), no repeated key in a mapping (the second would silently replace the
first: a second `links:` drops a chain's links), and no scalar with characters that hide what it
says (chain_graph.hygiene). Each refusal is a YAML error with the line it is on."""

from __future__ import annotations

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError

from chain_graph import hygiene
from chain_graph.i18n import t


class StrictLoader(yaml.SafeLoader):
    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            raise ComposerError(None, None, t("yaml.alias"), self.peek_event().start_mark)
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            first: dict = {}  # key → the line it was first on
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                try:
                    if key in first:
                        raise ConstructorError(None, None, t("yaml.duplicate", name=key, first=first[key]),
                                               key_node.start_mark)
                    first[key] = key_node.start_mark.line + 1
                except TypeError:
                    continue  # an unhashable key: the constructor reports it
        return super().construct_mapping(node, deep=deep)

    def construct_scalar(self, node):
        value = super().construct_scalar(node)
        why = hygiene.flaw(value) if isinstance(value, str) else None
        if why:
            raise ConstructorError(None, None, str(why), node.start_mark)
        return value


def load(text: str):
    """The document in `text`; yaml.YAMLError (with `problem_mark`) when it is refused."""
    return yaml.load(text, Loader=StrictLoader)  # noqa: S506 - a SafeLoader subclass
