"""The zip container, checked the way a careful reader must before trusting it.

A zip has two descriptions of every entry: the local header in front of its data and the
central directory at the end. Readers differ in which they believe (Python's zipfile and
Excel read the central directory; some tools scan local headers), so any disagreement is a
way to show one program one file and another program another. Before any entry is inflated
this module refuses, each with its own code:

- data in front of the first entry or behind the end record (a second archive hidden in
  the first, or an archive appended to another file);
- two entries with the same name (OPC part names are compared without case);
- a local header that disagrees with its central directory record (name, method, flags,
  sizes, CRC), or entries that overlap;
- compression methods other than stored and deflate (the only two Excel reads);
- the limits of :mod:`aijri_xl.workbook.limits`: entry count, sizes, ratio, encryption.

ZIP64 (large or many entries) is accepted: Python's zipfile reads it, and this module reads
its end records.
"""

from __future__ import annotations

import struct
import zipfile

from aijri_xl.workbook.limits import (
    COMPRESSION_METHODS,
    MAX_ENTRIES,
    MAX_ENTRY_BYTES,
    MAX_RATIO,
    MAX_TOTAL_BYTES,
)

_EOCD = b"PK\x05\x06"
_EOCD64 = b"PK\x06\x06"
_LOCATOR64 = b"PK\x06\x07"
_LOCAL = b"PK\x03\x04"
_DESCRIPTOR = b"PK\x07\x08"


class ZipProblem(Exception):
    """What is wrong with the container; ``code`` is the finding code."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


def _end_record(data: bytes) -> tuple[int, int, int]:
    """(offset of the end record, central directory offset, its size), ZIP64 included."""
    pos = data.rfind(_EOCD, max(0, len(data) - 65_557))
    if pos < 0:
        raise ZipProblem("no end-of-central-directory record: not a complete zip file",
                         "AIJ-F202")
    (_, disk, cd_disk, _, entries, cd_size, cd_offset,
     comment_len) = struct.unpack_from("<4sHHHHIIH", data, pos)
    if pos + 22 + comment_len != len(data):
        extra = len(data) - (pos + 22 + comment_len)
        raise ZipProblem(f"{extra:,} bytes after the zip's end record (a second archive or "
                         "other data hidden behind the workbook)" if extra > 0 else
                         "the zip's end record is cut short", "AIJ-F210" if extra > 0
                         else "AIJ-F202")
    if disk or cd_disk:
        raise ZipProblem("a multi-disk (split) zip archive is not a workbook", "AIJ-F202")
    end = pos
    if pos >= 20 and data[pos - 20:pos - 16] == _LOCATOR64:
        (_, _, eocd64, _) = struct.unpack_from("<4sIQI", data, pos - 20)
        if eocd64 + 56 > len(data) or data[eocd64:eocd64 + 4] != _EOCD64:
            raise ZipProblem("the ZIP64 end record is missing or misplaced", "AIJ-F209")
        (_, _, _, _, _, _, _, _, cd_size64, cd_offset64) = struct.unpack_from(
            "<4sQHHIIQQQQ", data, eocd64)
        if cd_size == 0xFFFFFFFF or cd_offset == 0xFFFFFFFF or entries == 0xFFFF:
            cd_size, cd_offset = cd_size64, cd_offset64
        elif (cd_size, cd_offset) != (cd_size64, cd_offset64):
            raise ZipProblem("the ZIP64 end record and the end record disagree", "AIJ-F209")
        end = eocd64
    if cd_offset + cd_size != end:
        gap = end - (cd_offset + cd_size)
        raise ZipProblem(
            f"the central directory does not end where the end record starts ({gap:+,} "
            "bytes): data was added in front of or inside the archive", "AIJ-F210")
    return end, cd_offset, cd_size


def check_container(data: bytes, zf: zipfile.ZipFile) -> None:
    """Refuse an ambiguous or unsafe container (see the module text)."""
    _, cd_offset, _ = _end_record(data)
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise ZipProblem(f"{len(infos):,} entries in the zip (at most {MAX_ENTRIES:,})",
                         "AIJ-F205")
    seen: dict[str, str] = {}
    total = 0
    for info in infos:
        key = info.filename.lower().lstrip("/")
        if key in seen:
            raise ZipProblem(f"the zip holds two entries named {info.filename!r}"
                             + ("" if seen[key] == info.filename else
                                f" and {seen[key]!r} (part names ignore case)")
                             + ": which one a program reads is not defined", "AIJ-F208")
        seen[key] = info.filename
        if info.flag_bits & 0x1:
            raise ZipProblem(f"zip entry {info.filename} is encrypted", "AIJ-F206")
        if info.compress_type not in COMPRESSION_METHODS:
            raise ZipProblem(f"zip entry {info.filename} uses compression method "
                             f"{info.compress_type}; Excel reads only stored and deflate",
                             "AIJ-F211")
        if info.file_size > MAX_ENTRY_BYTES:
            raise ZipProblem(f"zip entry {info.filename} inflates to {info.file_size:,} bytes "
                             f"(at most {MAX_ENTRY_BYTES:,})", "AIJ-F205")
        if info.compress_size and info.file_size / info.compress_size > MAX_RATIO \
                and info.file_size > 1024 * 1024:
            raise ZipProblem(f"zip entry {info.filename} inflates {info.file_size:,} bytes "
                             f"from {info.compress_size:,} (ratio over {MAX_RATIO}: a zip "
                             "bomb?)", "AIJ-F205")
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise ZipProblem(f"the zip inflates to {total:,} bytes (at most {MAX_TOTAL_BYTES:,})",
                         "AIJ-F205")
    if len(data) and total / len(data) > MAX_RATIO and total > 4 * 1024 * 1024:
        raise ZipProblem(f"the file inflates {total:,} bytes from {len(data):,} (ratio over "
                         f"{MAX_RATIO}: a zip bomb?)", "AIJ-F205")
    _check_local_headers(data, infos, cd_offset)


def _check_local_headers(data: bytes, infos: list[zipfile.ZipInfo], cd_offset: int) -> None:
    expected_start = 0
    for info in sorted(infos, key=lambda i: i.header_offset):
        at = info.header_offset
        if at != expected_start:
            if expected_start == 0:
                raise ZipProblem(f"{at:,} bytes in front of the first zip entry (another "
                                 "file or archive the workbook was appended to)", "AIJ-F210")
            raise ZipProblem(_gap_message(info.filename, at - expected_start), "AIJ-F209")
        if data[at:at + 4] != _LOCAL or at + 30 > len(data):
            raise ZipProblem(f"zip entry {info.filename}: no local header where the central "
                             "directory says it is", "AIJ-F209")
        (_, _, flags, method, _, _, crc, csize, usize, name_len,
         extra_len) = struct.unpack_from("<4sHHHHHIIIHH", data, at)
        raw_name = data[at + 30:at + 30 + name_len]
        central_name = info.orig_filename.encode("utf-8" if info.flag_bits & 0x800 else "cp437",
                                                 "replace")
        disagree = []
        if raw_name != central_name:
            disagree.append(f"name {raw_name.decode('utf-8', 'replace')!r}")
        if method != info.compress_type:
            disagree.append(f"compression method {method}")
        if (flags ^ info.flag_bits) & 0x1:
            disagree.append("encryption flag")
        if not flags & 0x8:  # sizes and CRC are in the local header, not a descriptor
            if crc != info.CRC:
                disagree.append("CRC")
            if csize != 0xFFFFFFFF and csize != info.compress_size:
                disagree.append("compressed size")
            if usize != 0xFFFFFFFF and usize != info.file_size:
                disagree.append("size")
        if disagree:
            raise ZipProblem(f"zip entry {info.filename}: the local header and the central "
                             f"directory disagree ({', '.join(disagree)}): programs would "
                             "read different files", "AIJ-F209")
        end = at + 30 + name_len + extra_len + info.compress_size
        if flags & 0x8:
            end += _descriptor_length(data, end)
        expected_start = end
    if expected_start != cd_offset:
        raise ZipProblem(_gap_message("the central directory", cd_offset - expected_start),
                         "AIJ-F209" if cd_offset < expected_start else "AIJ-F210")


def _descriptor_length(data: bytes, at: int) -> int:
    """The length of the data descriptor at ``at``: 12 or 20 bytes, plus an optional
    signature (ZIP64 descriptors carry 8-byte sizes)."""
    signed = data[at:at + 4] == _DESCRIPTOR
    base = 4 if signed else 0
    for size in (12, 20):
        nxt = at + base + size
        if data[nxt:nxt + 2] == b"PK" or nxt == len(data):
            return base + size
    return base + 12


def _gap_message(what: str, gap: int) -> str:
    if gap < 0:
        return f"{what} overlaps the zip entry before it by {-gap:,} bytes"
    return f"{gap:,} bytes of unlisted data in front of {what} (hidden in the archive)"
