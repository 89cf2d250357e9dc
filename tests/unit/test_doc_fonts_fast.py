"""The bulk font reader (app.documents.fonts.FastFace) builds exactly what ReportLab builds.

Registering a CJK face is most of a fresh process's decision PDF; FastFace reads the cmap,
hmtx and loca tables in bulk. Widths, glyph maps and subsets must not change by one value,
or the embedded fonts — and the PDF bytes — would.
"""

from __future__ import annotations

import io
import marshal
import os
import struct
import uuid
from pathlib import Path

import pytest
from reportlab.pdfbase.ttfonts import TTFError, TTFont, TTFontFace
from reportlab.pdfgen.canvas import Canvas

from app.documents.fonts import FONT_CACHE_ENV, FastFace, FontSet, font_cache_dir, load_font
from app.resources import resource_path

FONTS = resource_path("fonts")
FACES = [
    ("uming.ttc", 0),
    ("uming.ttc", 1),
    ("uming.ttc", 3),
    ("wqy-microhei.ttc", 0),
    ("wqy-microhei.ttc", 1),
    ("LXGWWenKai-Regular.ttf", 0),
    ("hanazono-fallback.ttf", 0),
]
ORDERED = ("charToGlyph", "glyphToChar", "charWidths")


def _same_face(ours: TTFontFace, stock: TTFontFace) -> None:
    a, b = vars(ours), vars(stock)
    assert sorted(a) == sorted(b)
    for key in b:
        if key == "_pdfScale":
            assert a[key](1234) == b[key](1234)
        else:
            assert a[key] == b[key], key
    for key in ORDERED:  # same insertion order, so nothing downstream iterates differently
        assert list(a[key]) == list(b[key]), key
        assert list(a[key].values()) == list(b[key].values()), key


def _chosen_cmap_format(face: TTFontFace) -> int:
    """The format of the subtable ReportLab picks (the last Unicode one listed)."""
    data = face._ttf_data
    cmap = face.get_table_pos("cmap")[0]
    count = struct.unpack_from(">H", data, cmap + 2)[0]
    chosen = None
    for n in range(count):
        platform, encoding, offset = struct.unpack_from(">HHL", data, cmap + 4 + 8 * n)
        if platform in (0, 3) and encoding != 5:
            chosen = offset
    assert chosen is not None
    return struct.unpack_from(">H", data, cmap + chosen)[0]


@pytest.fixture(autouse=True)
def no_font_cache(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Every face here is read from the font file unless a test turns the cache on."""
    monkeypatch.setenv(FONT_CACHE_ENV, "")


def _no_reading(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def read(self) -> None:  # type: ignore[no-untyped-def]
        raise AssertionError("read from the font file, not from the cache")

    monkeypatch.setattr(FastFace, "_char_info", read)


@pytest.mark.parametrize(("file", "subfont"), FACES)
def test_fast_face_equals_reportlab(file: str, subfont: int) -> None:
    path = str(FONTS / file)
    _same_face(FastFace(path, subfontIndex=subfont), TTFontFace(path, subfontIndex=subfont))


@pytest.mark.parametrize(("file", "subfont"), [("uming.ttc", 0), ("wqy-microhei.ttc", 1)])
def test_a_cached_face_equals_reportlab(file: str, subfont: int, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv(FONT_CACHE_ENV, str(tmp_path / "cache"))
    path = str(FONTS / file)
    _same_face(FastFace(path, subfontIndex=subfont), TTFontFace(path, subfontIndex=subfont))
    assert len(list((tmp_path / "cache").glob("*.marshal"))) == 1
    with monkeypatch.context() as m:
        _no_reading(m)
        _same_face(FastFace(path, subfontIndex=subfont), TTFontFace(path, subfontIndex=subfont))
    other = 1 - subfont  # another subfont of the same file has its own entry
    _same_face(FastFace(path, subfontIndex=other), TTFontFace(path, subfontIndex=other))
    assert len(list((tmp_path / "cache").glob("*.marshal"))) == 2


def test_a_changed_font_file_is_read_again(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv(FONT_CACHE_ENV, str(tmp_path / "cache"))
    font = tmp_path / "face.ttf"
    font.write_bytes((FONTS / "hanazono-fallback.ttf").read_bytes())
    FastFace(str(font))
    # another face under the same name (a bundled font updated in place)
    font.write_bytes(_with_cmap_records(tmp_path, {(3, 10), (0, 4)}).read_bytes())
    os.utime(font, ns=(1, 1))
    _same_face(FastFace(str(font)), TTFontFace(str(font)))
    assert _chosen_cmap_format(TTFontFace(str(font))) == 4


def test_a_damaged_or_foreign_cache_entry_is_ignored(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    cache = tmp_path / "cache"
    monkeypatch.setenv(FONT_CACHE_ENV, str(cache))
    path = str(FONTS / "hanazono-fallback.ttf")
    FastFace(path)
    (entry,) = cache.glob("*.marshal")
    key, values = marshal.loads(entry.read_bytes())
    wrong = dict(values[0])
    wrong[0x4E00] = 1
    foreign = ((*key[:-1], b"-9"), (wrong, *values[1:]))  # another face's key
    for damaged in (b"\x00garbage", marshal.dumps(foreign), marshal.dumps((key, values[:2]))):
        entry.write_bytes(damaged)
        _same_face(FastFace(path), TTFontFace(path))
    assert marshal.loads(entry.read_bytes())[0] == key  # rewritten


def test_no_cache_folder_no_cache(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    assert font_cache_dir() is None
    FastFace(str(FONTS / "hanazono-fallback.ttf"))
    assert list(tmp_path.rglob("*.marshal")) == []
    monkeypatch.delenv(FONT_CACHE_ENV)
    assert font_cache_dir() is not None and font_cache_dir().name == "fonts"


def test_bundled_faces_take_the_bulk_format_12_path() -> None:
    assert _chosen_cmap_format(FastFace(str(FONTS / "uming.ttc"))) == 12


def _with_cmap_records(tmp_path: Path, hide: set[tuple[int, int]]) -> Path:
    """A copy of the Hanazono face whose cmap records ``hide`` are moved to platform 2
    (ISO, which ReportLab never picks), so another subtable is chosen."""
    data = bytearray((FONTS / "hanazono-fallback.ttf").read_bytes())
    cmap = FastFace(str(FONTS / "hanazono-fallback.ttf")).get_table_pos("cmap")[0]
    count = struct.unpack_from(">H", data, cmap + 2)[0]
    for n in range(count):
        at = cmap + 4 + 8 * n
        if struct.unpack_from(">HH", data, at) in hide:
            struct.pack_into(">H", data, at, 2)
    out = tmp_path / "patched.ttf"
    out.write_bytes(bytes(data))
    return out


def test_format_4_cmap_is_read_like_reportlab(tmp_path: Path) -> None:
    path = str(_with_cmap_records(tmp_path, {(3, 10), (0, 4)}))
    ours = FastFace(path)
    assert _chosen_cmap_format(ours) == 4
    _same_face(ours, TTFontFace(path))


def test_no_usable_cmap_fails_as_reportlab_does(tmp_path: Path) -> None:
    path = str(_with_cmap_records(tmp_path, {(3, 10), (0, 4), (3, 1), (0, 3)}))
    with pytest.raises(TTFError) as stock:
        TTFontFace(path)
    with pytest.raises(TTFError) as ours:
        FastFace(path)
    assert str(ours.value) == str(stock.value)


def test_load_font_is_a_stock_ttfont_but_for_the_face() -> None:
    path = FONTS / "wqy-microhei.ttc"
    ours, stock = load_font("Probe", path, 1), TTFont("Probe", str(path), subfontIndex=1)
    assert type(ours) is TTFont
    assert sorted(vars(ours)) == sorted(vars(stock))
    for key, value in vars(stock).items():
        if key == "face":
            _same_face(ours.face, value)
        elif key == "encoding":
            assert vars(ours.encoding) == vars(value)
        elif key == "state":
            assert dict(ours.state) == dict(value) == {}
        else:
            assert getattr(ours, key) == value, key


def _pdf(font: TTFont) -> bytes:
    from reportlab.pdfbase import pdfmetrics

    pdfmetrics.registerFont(font)
    out = io.BytesIO()
    c = Canvas(out, invariant=1)
    c.setFont(font.fontName, 16)
    c.drawString(72, 720, "问责决定书：依据第十二条回避，《公务员法》第六十二条 ABC 123")
    c.drawString(72, 690, "".join(chr(0x4E00 + 7 * i) for i in range(400)))  # two subsets
    c.showPage()
    c.save()
    return out.getvalue().replace(font.fontName.encode(), b"NAME")


def test_embedded_font_bytes_are_unchanged() -> None:
    path = FONTS / "uming.ttc"
    assert _pdf(load_font("FastProbe", path)) == _pdf(TTFont("StockProbe", str(path)))


def test_fontset_registers_through_the_fast_reader(tmp_path: Path) -> None:
    fs = FontSet(search_dirs=[tmp_path])
    name = fs.role_font("heiti")
    assert isinstance(fs.face(name).face, FastFace)


def test_registering_a_face_searches_no_type1_fonts(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Asking ReportLab for a font it does not know parses every AFM file it can find."""
    from reportlab.pdfbase import pdfmetrics

    def searched(name: str) -> None:
        raise AssertionError(f"AFM search for {name}")

    monkeypatch.setattr(pdfmetrics, "bruteForceSearchForAFM", searched)
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    stem = f"probe{uuid.uuid4().hex[:12]}"  # a name ReportLab has not seen in this process
    (fonts / f"{stem}.ttf").write_bytes((FONTS / "hanazono-fallback.ttf").read_bytes())
    fs = FontSet(search_dirs=[], bundled_dir=fonts)
    name = fs.register(fs._bundled((f"{stem}.ttf", 0)))
    assert name == f"Wenze-{stem}-0" and pdfmetrics.getFont(name).face.numGlyphs > 0
    assert FontSet(search_dirs=[], bundled_dir=fonts).register(fs.file_of(name)) == name
