"""Writing story-file YAML that reads back as exactly the same text.

PyYAML's emitter, left to choose, writes U+0085, U+2028 and U+2029 as they are in plain,
single-quoted and block scalars, where a YAML reader takes them for line breaks (folded into a
space, or turned into ``\\n``). :func:`story_yaml` double-quotes every text holding one of them,
a control character or a byte-order mark (double quotes escape them all: ``\\L``, ``\\x07``),
writes other multi-line text as a block (``|``) and short lists of ids on one line.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

#: What YAML does not keep as it is outside a double-quoted string: characters it reads as
#: line breaks (U+0085, U+2028, U+2029, CR), control characters and the byte-order mark.
YAML_UNSAFE = re.compile("[^\n\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
                         "|[\u2028\u2029\ufeff]")


class _Dumper(yaml.SafeDumper):
    pass


def _text(dumper: yaml.SafeDumper, value: str) -> Any:
    style = '"' if YAML_UNSAFE.search(value) else "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _list(dumper: yaml.SafeDumper, value: list[Any]) -> Any:
    # Short lists of ids read best on one line: participants: [ada, orin].
    flow = all(isinstance(v, str) and "\n" not in v and len(v) < 40 for v in value) \
        and sum(len(v) for v in value) < 70
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


_Dumper.add_representer(str, _text)
_Dumper.add_representer(list, _list)


def story_yaml(data: dict[str, Any]) -> str:
    """YAML text of story-file data, keys in the format's order, long text as blocks.

    Example:
        >>> print(story_yaml({"label": "a\\u2028b", "between": ["ada", "orin"]}), end="")
        label: "a\\Lb"
        between: [ada, orin]
        >>> yaml.safe_load(story_yaml({"label": "a\\u2028b"}))["label"] == "a\\u2028b"
        True
    """
    return str(yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                         width=100, default_flow_style=False))
