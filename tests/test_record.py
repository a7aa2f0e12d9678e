"""``aijri_xl._record``: the package's dataclasses behave as the standard library's."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from typing import Any

import pytest

from aijri_xl import _record


def _sample(deco: Any, fld: Any, frozen: bool) -> type:
    @deco(frozen=frozen, slots=True)
    class Sample:
        """A sample."""

        a: int
        b: str = "x"
        c: tuple[int, ...] = fld(default_factory=tuple)
        d: Any = fld(default=None, repr=False, compare=False)
        e: list[int] = fld(default_factory=list, compare=False)

        def twice(self) -> int:
            return self.a * 2
    Sample.__qualname__ = f"Sample_{deco.__module__.split('.')[-1]}_{frozen}"
    globals()[Sample.__qualname__] = Sample  # reachable by name: pickle finds it
    return Sample


_PAIRS = {frozen: (_sample(dataclasses.dataclass, dataclasses.field, frozen),
                   _sample(_record._dataclass, _record._field, frozen))
          for frozen in (False, True)}


def _pair(frozen: bool) -> tuple[type, type]:
    """The same class made by the standard decorator and by ours."""
    return _PAIRS[frozen]


@pytest.mark.parametrize("frozen", [False, True])
def test_init_repr_eq_hash_as_the_standard_library(frozen: bool):
    std, ours = _pair(frozen)
    for args, kwargs in (((1,), {}), ((2, "y", (3,)), {"d": 4}), ((), {"a": 5, "b": "z"})):
        s, o = std(*args, **kwargs), ours(*args, **kwargs)
        assert repr(s).split("(", 1)[1] == repr(o).split("(", 1)[1]
        assert [getattr(s, f.name) for f in dataclasses.fields(s)] == \
            [getattr(o, f.name) for f in dataclasses.fields(o)]
        assert o == ours(*args, **kwargs) and o.twice() == s.twice()
        assert o != std(*args, **kwargs)  # another class: not equal, as the standard one
        assert (o == ours(*args, **{**kwargs, "d": "other"}))  # d is not compared
        if frozen:
            assert hash(o) == hash(ours(*args, **kwargs)) == hash(s)
        else:
            with pytest.raises(TypeError):
                hash(o)
    assert ours(1).e is not ours(1).e  # a fresh list per instance
    assert not hasattr(ours(1), "__dict__")  # slots


def test_frozen_refuses_assignment_with_the_standard_error():
    _, ours = _pair(frozen=True)
    o = ours(1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        o.a = 2  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del o.a  # type: ignore[misc]


@pytest.mark.parametrize("frozen", [False, True])
def test_standard_helpers_pickle_and_copy(frozen: bool):
    _, ours = _pair(frozen)
    o = ours(1, "y", (2,), d="kept", e=[3])
    assert dataclasses.is_dataclass(o)
    assert [f.name for f in dataclasses.fields(ours)] == ["a", "b", "c", "d", "e"]
    assert dataclasses.asdict(o) == {"a": 1, "b": "y", "c": (2,), "d": "kept", "e": [3]}
    changed = dataclasses.replace(o, b="z")
    assert type(changed) is ours and changed.b == "z" and changed.c == (2,)
    for clone in (pickle.loads(pickle.dumps(o)), copy.deepcopy(o), copy.copy(o)):
        assert clone == o and clone.d == "kept" and clone.e == [3]


def test_a_subclass_adds_its_fields_after_its_base():
    @_record._dataclass(slots=True)
    class Base:
        a: int
        b: int = 2

    @_record._dataclass(slots=True)
    class Child(Base):
        c: int = 3

        def __post_init__(self) -> None:
            self.c += 1

    child = Child(1, c=5)
    assert (child.a, child.b, child.c) == (1, 2, 6)
    assert [f.name for f in dataclasses.fields(child)] == ["a", "b", "c"]
    assert repr(child).endswith(".Child(a=1, b=2, c=6)")


def test_what_is_not_supported_is_refused():
    with pytest.raises(TypeError):
        _record._dataclass(order=True)
    with pytest.raises(TypeError):
        @_record._dataclass
        class Wrong:
            a: int = 1
            b: int
    with pytest.raises(ValueError):
        _record._field(default=1, default_factory=list)


def test_the_package_makes_its_classes_with_it():
    """The package's own classes come from this module, not from ``dataclasses``: importing
    the verifier does not import the standard module (its cost is what this saves)."""
    import subprocess
    import sys

    code = ("import sys; from aijri_xl.verify.audit import verify_one; "
            "from aijri_xl.workbook.cells import CellData; "
            "print('dataclasses' in sys.modules, CellData(1.0))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split(maxsplit=1)
    assert out == ["False", "CellData(value=1.0, formula=None, is_error=False, style=0)\n"]
