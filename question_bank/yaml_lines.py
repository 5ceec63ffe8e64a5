"""A YAML loader that remembers the line of every mapping and key, for readable errors."""

from __future__ import annotations

from typing import Any

import yaml


class LineMap(dict):
    """A dict from YAML that knows its own line and the line of each key."""

    line: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.key_lines: dict[Any, int] = {}
        self.duplicate_keys: list[tuple[Any, int]] = []

    def line_of(self, key: str) -> int:
        """Line of `key` if present, else the line of the mapping itself."""
        return self.key_lines.get(key, self.line)


# libyaml's parser is several times faster and still reports line numbers.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    pass


def _construct_map(loader: _LineLoader, node: yaml.MappingNode) -> LineMap:
    loader.flatten_mapping(node)
    result = LineMap()
    result.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        key_line = key_node.start_mark.line + 1
        if key in result:
            result.duplicate_keys.append((key, key_line))
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_line
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_map)


def load_with_lines(text: str) -> Any:
    """Parse YAML text; mappings come back as `LineMap`s."""
    return yaml.load(text, Loader=_LineLoader)
