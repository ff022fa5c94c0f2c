"""What can still be checked in a file that fails its schema.

``validate`` reports every schema error of a file at once (Pydantic collects them all), but the
cross-file checks (actor in the registry, themes in the vocabulary, speakers among the
interviewees…) need a model. Without one they waited for the next run, and mistakes surfaced in
rounds. :func:`salvage` builds the model from what is sound: each value that fails is left out
(a list item, a key, a whole entry when a key it needs is wrong), a required top-level value is
replaced by a placeholder, and the parts left out are listed, so that the checks that depend on
them — and only those — wait.

Positions stay those of the file: :meth:`Salvaged.raw` turns a path in the model (where items
left out shifted the indexes) back into the path in the file.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)
Path_ = tuple[str | int, ...]

_HOLE: Any = object()  # a value left out
_ROUNDS = 8  # leaving a value out can make its container fail (a required key gone): go up


@dataclass
class Salvaged(Generic[M]):
    """A model built from the sound parts of a file, and what was left out to build it."""

    model: M
    broken: set[Path_] = field(default_factory=set)  # paths in the file of the values left out
    _kept: dict[Path_, list[int]] = field(default_factory=dict)  # list path -> file indexes kept

    def raw(self, path: Path_) -> Path_:
        """The path in the file of the value at ``path`` in the model."""
        out: list[str | int] = []
        for part in path:
            if isinstance(part, int):
                kept = self._kept.get(tuple(out))
                part = kept[part] if kept is not None and part < len(kept) else part
            out.append(part)
        return tuple(out)

    def intact(self, *paths: Path_) -> bool:
        """Whether nothing was left out at, inside or around any of ``paths`` (file paths)."""
        return not any(b[: len(p)] == p or p[: len(b)] == b for b in self.broken for p in paths)

    def broken_keys(self) -> set[str]:
        """The top-level keys under which something was left out."""
        return {str(b[0]) for b in self.broken if b}


def whole(model: M) -> Salvaged[M]:
    """A model that validated as it is: nothing left out."""
    return Salvaged(model)


def salvage(model: type[M], data: dict[str, Any], placeholders: dict[str, Any]) -> Salvaged[M] | None:
    """Validate ``data`` against ``model``, leaving out whatever fails; ``None`` if nothing holds.

    ``placeholders`` stand in for required top-level keys whose value fails or is missing; the
    caller treats those keys as broken (listed in ``broken``).
    """
    work: dict[str, Any] = copy.deepcopy(data)
    broken: set[Path_] = set()
    for _ in range(_ROUNDS):
        kept: dict[Path_, list[int]] = {}
        cleaned = _without_holes(work, (), kept)
        try:
            result = model.model_validate(cleaned)
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
        else:
            return Salvaged(result, broken, kept)
        view = Salvaged(model.model_construct(), set(), kept)
        for error in errors:
            loc = view.raw(tuple(error["loc"]))
            path = _existing(work, loc)
            if error["type"] == "missing" and len(path) == len(loc):
                path = path[:-1]  # the key itself is absent (a None value counts as absent)
            if len(path) <= 1:
                key = path[0] if path else loc[0] if loc else None
                if not isinstance(key, str) or key not in placeholders:
                    if not path:
                        return None
                    work[str(path[0])] = _HOLE  # an optional top-level key: leave it out
                else:
                    work[key] = placeholders[key]
                broken.add((key,) if isinstance(key, str) else path)
                continue
            _punch(work, path)
            broken.add(path)
    return None


def _existing(data: Any, loc: Path_) -> Path_:
    """The longest prefix of ``loc`` that exists in ``data``, skipping parts that match nothing
    (Pydantic inserts union-member and tag names, ``[key]`` for a bad mapping key)."""
    path: list[str | int] = []
    node = data
    for part in loc:
        in_dict = isinstance(node, dict) and isinstance(part, str) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if not (in_dict or in_list) or node[part] is _HOLE:
            continue
        node = node[part]
        path.append(part)
    return tuple(path)


def _punch(data: Any, path: Path_) -> None:
    node = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = _HOLE


def _without_holes(value: Any, path: Path_, kept: dict[Path_, list[int]]) -> Any:
    if isinstance(value, dict):
        return {k: _without_holes(v, (*path, k), kept) for k, v in value.items() if v is not _HOLE}
    if isinstance(value, list):
        indexes = [i for i, v in enumerate(value) if v is not _HOLE]
        if len(indexes) != len(value):
            kept[path] = indexes
        return [_without_holes(value[i], (*path, i), kept) for i in indexes]
    return value
