"""``dataclass`` and ``field`` as the package uses them, made at a fraction of the cost.

Python 3.11's :mod:`dataclasses` compiles four to six functions per class, one ``exec``
each, and importing it imports :mod:`inspect`: about 0.45 ms a class and 6 ms for the
module, some 25 ms of every command's start-up for the package's classes. This module
compiles only ``__init__`` (one ``exec`` a class); ``__repr__``, ``__eq__`` and
``__hash__`` are shared functions that read the class's fields (an ``attrgetter`` of the
compared ones), and nothing heavy is imported. The classes are still dataclasses to the
standard library: ``dataclasses.fields``, ``replace``, ``asdict`` and ``is_dataclass``
work on them (their ``__dataclass_fields__`` is made when first asked for), a frozen one
raises ``dataclasses.FrozenInstanceError``, and frozen classes with slots pickle as the
standard ones do. One difference: a class that compares one field hashes as that field,
not as a one-item tuple (equal instances still hash equal).

What is supported is what the package uses, and anything else is refused when the class
is made: the options ``frozen``, ``slots`` and ``eq``; fields with a default, a
``default_factory``, ``repr=False`` and ``compare=False``; ``__post_init__``; a dataclass
deriving from another. Type checkers see the standard decorator (the names are the
standard ones under ``TYPE_CHECKING``).
"""

from __future__ import annotations

from operator import attrgetter
from typing import TYPE_CHECKING, Any, TypeVar

__all__ = ["as_dict", "dataclass", "field", "field_names", "replace"]

_T = TypeVar("_T")

_MISSING: Any = type("_Missing", (), {"__repr__": lambda self: "MISSING"})()


class _Field:
    """One field's options, until the class is made (then the field's record)."""

    __slots__ = ("compare", "default", "default_factory", "name", "repr", "type")

    def __init__(self, default: Any = _MISSING, default_factory: Any = _MISSING,
                 repr: bool = True, compare: bool = True) -> None:
        if default is not _MISSING and default_factory is not _MISSING:
            raise ValueError("cannot specify both default and default_factory")
        self.default, self.default_factory = default, default_factory
        self.repr, self.compare = repr, compare
        self.name = self.type = ""


def _field(*, default: Any = _MISSING, default_factory: Any = _MISSING, repr: bool = True,
           compare: bool = True) -> Any:
    return _Field(default, default_factory, repr, compare)


def _frozen_error(name: str) -> Exception:
    import dataclasses

    return dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_setattr(self: Any, name: str, value: Any) -> None:
    raise _frozen_error(name)


def _frozen_delattr(self: Any, name: str) -> None:
    raise _frozen_error(name)


class _StandardFields:
    """``__dataclass_fields__``, made from the class's fields the first time the standard
    library asks for it (so :mod:`dataclasses` is imported only then)."""

    def __get__(self, obj: Any, owner: type) -> dict[str, Any]:
        import dataclasses

        made: dict[str, Any] | None = owner.__dict__.get("_record_standard")
        if made is not None:  # the owner's own (a subclass makes its own)
            return made
        out = {}
        for f in owner._record_fields:  # type: ignore[attr-defined]
            missing: Any = dataclasses.MISSING
            make: Any = dataclasses.field
            std: Any = make(
                default=missing if f.default is _MISSING else f.default,
                default_factory=missing if f.default_factory is _MISSING
                else f.default_factory, repr=f.repr, compare=f.compare)
            std.name, std.type = f.name, f.type
            std._field_type = dataclasses._FIELD  # type: ignore[attr-defined]
            out[f.name] = std
        type.__setattr__(owner, "_record_standard", out)
        return out


def _nothing(obj: Any) -> tuple[()]:
    return ()


def _repr(self: Any) -> str:
    shown = ", ".join(f"{n}={getattr(self, n)!r}" for n in self._record_repr)
    return f"{type(self).__qualname__}({shown})"


def _eq(self: Any, other: Any) -> Any:
    if other.__class__ is self.__class__:
        key = self._record_key
        return key(self) == key(other)
    return NotImplemented


def _hash(self: Any) -> int:
    return hash(self._record_key(self))


def _getstate(self: Any) -> list[Any]:
    return [getattr(self, f.name) for f in type(self)._record_fields]


def _setstate(self: Any, state: list[Any]) -> None:
    for f, value in zip(type(self)._record_fields, state, strict=True):
        object.__setattr__(self, f.name, value)


_ALLOWED = frozenset({"frozen", "slots", "eq"})


def _dataclass(cls: Any = None, /, **options: Any) -> Any:
    unknown = set(options) - _ALLOWED
    if unknown:
        raise TypeError(f"aijri_xl._record.dataclass does not support {sorted(unknown)}")

    def wrap(c: type) -> type:
        return _make(c, bool(options.get("frozen", False)), bool(options.get("slots", False)),
                     bool(options.get("eq", True)))
    return wrap if cls is None else wrap(cls)


def _make(cls: Any, frozen: bool, slots: bool, eq: bool) -> type:
    fields: dict[str, _Field] = {}
    for base in reversed(cls.__mro__[1:]):
        for f in base.__dict__.get("_record_fields", ()):
            fields[f.name] = f
    own: list[str] = []
    # the class's own annotations (inspect.get_annotations would import inspect: 5 ms)
    for name, kind in cls.__dict__.get("__annotations__", {}).items():  # noqa: RUF063
        if isinstance(kind, str) and (kind.startswith(("ClassVar", "typing.ClassVar",
                                                       "InitVar", "dataclasses."))):
            raise TypeError(f"{cls.__qualname__}.{name}: ClassVar and InitVar fields are "
                            "not supported")
        value = cls.__dict__.get(name, _MISSING)
        f = value if isinstance(value, _Field) else _Field(default=value)
        f.name, f.type = name, kind
        fields[name] = f
        own.append(name)
    ordered = list(fields.values())
    spaces = {"_M": _MISSING, "_set": object.__setattr__}
    params, body = [], []
    seen_default = False
    for f in ordered:
        n = f.name
        if f.default is not _MISSING:
            spaces[f"_d_{n}"] = f.default
            params.append(f"{n}=_d_{n}")
            value = n
            seen_default = True
        elif f.default_factory is not _MISSING:
            spaces[f"_f_{n}"] = f.default_factory
            params.append(f"{n}=_M")
            value = f"_f_{n}() if {n} is _M else {n}"
            seen_default = True
        else:
            if seen_default:
                raise TypeError(f"non-default argument {n!r} follows default argument")
            params.append(n)
            value = n
        body.append(f"    _set(self, {n!r}, {value})" if frozen else f"    self.{n} = {value}")
    if hasattr(cls, "__post_init__"):
        body.append("    self.__post_init__()")
    lines = [f"def __init__(self, {', '.join(params)}):" if params else
             "def __init__(self):", *(body or ["    pass"])]
    made: dict[str, Any] = {}
    exec("\n".join(lines), spaces, made)
    made["__repr__"] = _repr  # the other methods are shared, driven by the class's fields:
    if eq:  # only __init__ is compiled per class
        made["__eq__"] = _eq
        if frozen:
            made["__hash__"] = _hash
    namespace = {k: v for k, v in cls.__dict__.items()
                 if k not in fields and k not in ("__dict__", "__weakref__")}
    made["__init__"].__qualname__ = f"{cls.__qualname__}.__init__"
    for name, fn in made.items():  # what the class defines itself is kept, as dataclasses do
        namespace.setdefault(name, fn)
    compared = [f.name for f in ordered if f.compare]
    namespace["_record_key"] = attrgetter(*compared) if compared else _nothing
    namespace["_record_repr"] = tuple(f.name for f in ordered if f.repr)
    if not slots:  # a default stays a class attribute, as dataclasses leave it
        namespace.update({f.name: f.default for f in ordered
                          if f.name in own and f.default is not _MISSING})
    if eq and not frozen and "__hash__" not in cls.__dict__:
        namespace["__hash__"] = None
    if frozen:
        namespace["__setattr__"] = _frozen_setattr
        namespace["__delattr__"] = _frozen_delattr
        if slots:
            namespace["__getstate__"] = _getstate
            namespace["__setstate__"] = _setstate
    if slots:
        namespace["__slots__"] = tuple(own)
    namespace["_record_fields"] = tuple(ordered)
    namespace["__dataclass_fields__"] = _StandardFields()
    namespace["__match_args__"] = tuple(f.name for f in ordered)
    new: type = type(cls)(cls.__name__, cls.__bases__, namespace)
    new.__qualname__ = cls.__qualname__
    return new


def field_names(cls: type) -> tuple[str, ...]:
    """A class's fields, in order (``dataclasses.fields``, without importing it)."""
    return tuple(f.name for f in getattr(cls, "_record_fields"))  # noqa: B009


def as_dict(obj: Any) -> dict[str, Any]:
    """An instance's fields and their values, as they are (``dataclasses.asdict``
    without its deep copy)."""
    return {f.name: getattr(obj, f.name) for f in type(obj)._record_fields}


def replace(obj: _T, **changes: Any) -> _T:
    """A copy of ``obj`` with ``changes`` (``dataclasses.replace``)."""
    return type(obj)(**{**as_dict(obj), **changes})


if TYPE_CHECKING:
    from dataclasses import dataclass as dataclass
    from dataclasses import field as field
else:
    dataclass = _dataclass
    field = _field
