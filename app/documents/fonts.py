"""Role-based fonts for official documents, with per-character fallback.

Why roles: GB/T 9704 names typefaces by role (仿宋 body, 黑体/楷体 headings, 宋体 page numbers,
小标宋 title). On a Chinese Windows PC the system fonts fill the roles; elsewhere the bundled
free TrueType fonts do. Every font is embedded, so the PDF prints identically anywhere.
A character missing from the role font is drawn with the first font of the fallback chain
that has it; a character no font has is drawn as “〓” and reported as a warning, never blank.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import struct
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path
from weakref import WeakKeyDictionary

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFError, TTFont, TTFontFace

from app.resources import resource_path

ROLE_BODY = "fangsong"  # 仿宋: body text
ROLE_HEADING1 = "heiti"  # 黑体: level-1 headings
ROLE_HEADING2 = "kaiti"  # 楷体: level-2 headings
ROLE_PAGE_NUMBER = "songti"  # 宋体: page numbers, footers
ROLE_TITLE = "title"  # 小标宋: document title
ROLES = (ROLE_BODY, ROLE_HEADING1, ROLE_HEADING2, ROLE_PAGE_NUMBER, ROLE_TITLE)

SUBSTITUTE_CHAR = "\u3013"  # 〓 GETA MARK: the conventional "glyph missing" mark in CJK print

# Windows system fonts per role, best first: (file name, TTC subfont index).
SYSTEM_CANDIDATES: dict[str, list[tuple[str, int]]] = {
    ROLE_BODY: [("simfang.ttf", 0)],
    ROLE_HEADING1: [("simhei.ttf", 0)],
    ROLE_HEADING2: [("simkai.ttf", 0)],
    ROLE_PAGE_NUMBER: [("simsun.ttc", 0)],
    ROLE_TITLE: [
        ("FZXBSJW.TTF", 0),
        ("FZXBSJW--GB1-0.ttf", 0),
        ("方正小标宋简体.ttf", 0),
        ("方正小标宋_GBK.ttf", 0),
        ("simsun.ttc", 0),
    ],
}
# Files that are a real 小标宋 (heavy Song); any other title font is emboldened when drawn.
REAL_TITLE_FILES = {"fzxbsjw.ttf", "fzxbsjw--gb1-0.ttf", "方正小标宋简体.ttf", "方正小标宋_gbk.ttf"}

BUNDLED_UMING = ("uming.ttc", 0)
BUNDLED_WENKAI = ("LXGWWenKai-Regular.ttf", 0)
BUNDLED_WQY = ("wqy-microhei.ttc", 0)
BUNDLED_HANAZONO = ("hanazono-fallback.ttf", 0)
BUNDLED_ROLE: dict[str, tuple[str, int]] = {
    ROLE_BODY: BUNDLED_UMING,
    ROLE_HEADING1: BUNDLED_WQY,
    ROLE_HEADING2: BUNDLED_WENKAI,
    ROLE_PAGE_NUMBER: BUNDLED_UMING,
    ROLE_TITLE: BUNDLED_UMING,
}
# Bundled fallback chain after the role font and the system fonts; Hanazono last (rare chars).
BUNDLED_FALLBACK = [BUNDLED_UMING, BUNDLED_WENKAI, BUNDLED_WQY, BUNDLED_HANAZONO]
SYSTEM_FALLBACK = [("simsun.ttc", 0), ("simfang.ttf", 0), ("simkai.ttf", 0), ("simhei.ttf", 0)]


def _to_unicode_cmap(fontname: str, subset: Sequence[int]) -> str:
    """ToUnicode CMap that also maps code points beyond the BMP (as UTF-16 surrogates).

    ReportLab 5.1 writes ``<%04X>`` for every code point, so U+20BB7 becomes a 5-digit hex
    string and text extraction / copy-paste yields a wrong character. The glyphs were right;
    only the text layer was wrong.
    """

    def utf16(cp: int) -> str:
        return chr(cp).encode("utf-16-be", "surrogatepass").hex().upper()

    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *[f"<{i:02X}> <{utf16(v)}>" for i, v in enumerate(subset)],
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return "\n".join(lines)


ttfonts.makeToUnicodeCMap = _to_unicode_cmap


FONT_CACHE_ENV = "WENZE_FONT_CACHE"  # a folder for parsed font tables; empty: no cache
_CACHE_FORMAT = 1  # bump when what FastFace stores changes
_CACHED = ("charToGlyph", "glyphToChar", "charWidths", "hmetrics", "glyphPos", "defaultWidth")


def font_cache_dir() -> Path | None:
    """Where parsed per-glyph tables are kept between processes (None: not kept).

    $WENZE_FONT_CACHE names the folder (empty disables it); by default the user cache folder.
    """
    env = os.environ.get(FONT_CACHE_ENV)
    if env is not None:
        return Path(env) if env.strip() else None
    import platformdirs

    return Path(platformdirs.user_cache_dir("wenze", appauthor=False)) / "fonts"


class _Unsupported(Exception):
    """A table layout the fast reader does not handle: ReportLab's own reader does."""


class FastFace(TTFontFace):
    """ReportLab's TrueType face, with the per-glyph tables read in bulk.

    ReportLab reads the cmap, hmtx and loca tables one ``struct.unpack`` per entry: for a
    CJK face (27,000–50,000 glyphs) that is most of the 0.1–0.3 s a registration costs. This
    reads each table with one ``unpack_from`` and builds the very same attributes (same
    values, same insertion order), so widths, subsets and the embedded bytes are unchanged
    (``tests/unit/test_doc_fonts_fast.py`` compares every attribute with ReportLab's parse).
    The names, head, OS/2, post, hhea and maxp tables are still read by ReportLab itself;
    a cmap format other than 4 or 12, or anything unexpected, goes to ReportLab's reader.

    The tables read are kept in the font cache (:func:`font_cache_dir`), keyed by the file's
    path, size and modification time, the subfont, ReportLab's version and this format, so
    the next process loads them (≈ 5 ms) instead of reading them again (≈ 40 ms a face).
    A cache entry that does not match, or cannot be read, is ignored and rewritten.
    """

    def extractInfo(self, charInfo: int = 1) -> None:
        if not charInfo:
            super().extractInfo(charInfo)
            return
        super().extractInfo(0)  # everything before the per-character tables
        cache, key = self._cache_entry()
        if cache is not None and self._load_cached(cache, key):
            return
        try:
            self._char_info()
        except (_Unsupported, struct.error, KeyError):
            super().extractInfo(charInfo)
            return
        if cache is not None:
            self._store_cached(cache, key)

    # ---- the cache of parsed tables ---------------------------------------------------------
    def _cache_entry(self) -> tuple[Path | None, tuple]:
        folder = font_cache_dir()
        try:
            st = os.stat(self.filename)
        except (OSError, TypeError, ValueError):
            return None, ()
        if folder is None or st.st_size != len(self._ttf_data):
            return None, ()
        from reportlab import Version

        key = (
            _CACHE_FORMAT,
            Version,
            os.path.abspath(self.filename),
            st.st_size,
            st.st_mtime_ns,
            bytes(self.subfontNameX),
        )
        digest = hashlib.sha256(repr(key).encode("utf-8")).hexdigest()[:32]
        return folder / f"{digest}.marshal", key

    def _load_cached(self, path: Path, key: tuple) -> bool:
        try:
            stored_key, values = marshal.loads(path.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            return False
        if stored_key != key or not isinstance(values, tuple) or len(values) != len(_CACHED) + 1:
            return False
        c2g, g2c, widths, hmetrics, glyph_pos, default, pos = values
        if not (
            isinstance(c2g, dict)
            and isinstance(g2c, dict)
            and isinstance(widths, dict)
            and isinstance(hmetrics, list)
            and isinstance(glyph_pos, list)
            and isinstance(pos, int)
        ):
            return False
        self.charToGlyph, self.glyphToChar, self.charWidths = c2g, g2c, widths
        self.hmetrics, self.glyphPos, self.defaultWidth = hmetrics, glyph_pos, default
        self._pos = pos
        return True

    def _store_cached(self, path: Path, key: tuple) -> None:
        values = (*(getattr(self, name) for name in _CACHED), self._pos)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(marshal.dumps((key, values)))
            os.replace(tmp, path)
        except (OSError, ValueError):
            with contextlib.suppress(OSError):
                tmp.unlink()

    def _char_info(self) -> None:
        data = self._ttf_data
        head = self.get_table_pos("head")[0]
        index_to_loc, glyph_format = struct.unpack_from(">hh", data, head + 50)
        if glyph_format != 0 or index_to_loc not in (0, 1):
            raise _Unsupported
        n_hmetrics = struct.unpack_from(">H", data, self.get_table_pos("hhea")[0] + 34)[0]
        n_glyphs = self.numGlyphs
        c2g, g2c = self._cmap(data)

        scale = self._pdfScale
        hmtx = self.get_table_pos("hmtx")[0]
        pairs = struct.unpack_from(f">{2 * n_hmetrics}H", data, hmtx)
        rest = max(0, n_glyphs - n_hmetrics)
        lsbs = struct.unpack_from(f">{rest}H", data, hmtx + 4 * n_hmetrics)
        advances = pairs[0::2]
        scaled = list(map(scale, advances))
        last = scaled[-1]
        hmetrics = list(zip(advances, pairs[1::2], strict=True))
        hmetrics += [(last, lsb) for lsb in lsbs]
        bound = max(n_hmetrics, n_glyphs)
        widths: dict[int, float] = {}
        for glyph in sorted(g for g in g2c if 0 <= g < bound):
            aw = scaled[glyph] if glyph < n_hmetrics else last
            for ch in g2c[glyph]:
                widths[ch] = aw

        if "loca" not in self.table:
            raise _Unsupported
        loca = self.get_table_pos("loca")[0]
        if index_to_loc == 0:
            glyph_pos = [x << 1 for x in struct.unpack_from(f">{n_glyphs + 1}H", data, loca)]
            self._pos = loca + 2 * (n_glyphs + 1)  # where ReportLab's reader stops
        else:
            glyph_pos = list(struct.unpack_from(f">{n_glyphs + 1}L", data, loca))
            self._pos = loca + 4 * (n_glyphs + 1)
        if 0x20 in c2g:
            c2g[0xA0] = c2g[0x20]
            widths[0xA0] = widths[0x20]
        elif 0xA0 in c2g:
            c2g[0x20] = c2g[0xA0]
            widths[0x20] = widths[0xA0]
        self.charToGlyph, self.glyphToChar = c2g, g2c
        self.defaultWidth = scaled[0]
        self.charWidths = widths
        self.hmetrics = hmetrics
        self.glyphPos = glyph_pos

    def _cmap(self, data: bytes) -> tuple[dict[int, int], dict[int, list[int]]]:
        """The Unicode cmap subtable ReportLab would choose, read as ReportLab reads it."""
        cmap = self.get_table_pos("cmap")[0]
        version, count = struct.unpack_from(">HH", data, cmap)
        if count == 0 and version != 0:
            count = version
        chosen, enc = None, 0
        for n in range(count):
            platform, encoding, offset = struct.unpack_from(">HHL", data, cmap + 4 + 8 * n)
            if platform == 3 or (platform == 1 and encoding == 1):
                enc, chosen = 1, offset
            elif platform == 1 and encoding == 0 and enc != 1:
                enc, chosen = 2, offset
            elif platform == 0 and encoding != 5:
                enc, chosen = 1, offset
        if chosen is None:
            raise _Unsupported
        start = cmap + chosen
        fmt = struct.unpack_from(">H", data, start)[0]
        chars: list[int] = []  # every (character, glyph) the table lists, in table order
        glyphs: list[int] = []
        if fmt == 4:
            length = struct.unpack_from(">H", data, start + 2)[0]
            limit = start + length
            segs = struct.unpack_from(">H", data, start + 6)[0] // 2
            at = start + 14
            ends = struct.unpack_from(f">{segs}H", data, at)
            starts = struct.unpack_from(f">{segs}H", data, at + 2 * segs + 2)
            deltas = struct.unpack_from(f">{segs}h", data, at + 4 * segs + 2)
            ranges_at = at + 6 * segs + 2
            ranges = struct.unpack_from(f">{segs}H", data, ranges_at)
            for n in range(segs):
                first, delta, rng = starts[n], deltas[n], ranges[n]
                seg = range(first, ends[n] + 1)
                chars += seg
                if rng == 0:
                    glyphs += [(ch + delta) & 0xFFFF for ch in seg]
                    continue
                base = ranges_at + 2 * n + rng
                for ch in seg:
                    at_glyph = base + 2 * (ch - first)
                    if at_glyph >= limit:
                        glyphs.append(0)
                        continue
                    glyph = struct.unpack_from(">H", data, at_glyph)[0]
                    glyphs.append((glyph + delta) & 0xFFFF if glyph else 0)
        elif fmt == 12:
            groups = struct.unpack_from(">L", data, start + 12)[0]
            table = struct.unpack_from(f">{3 * groups}L", data, start + 16)
            for n in range(groups):
                first, last, glyph = table[3 * n : 3 * n + 3]
                seg = range(first, last + 1)
                chars += seg
                glyphs += range(glyph, glyph + len(seg))
        else:
            raise _Unsupported
        c2g = dict(zip(chars, glyphs, strict=True))
        g2c: dict[int, list[int]] = {}
        for ch, glyph in zip(chars, glyphs, strict=True):
            listed = g2c.get(glyph)
            if listed is None:
                g2c[glyph] = [ch]
            else:
                listed.append(ch)
        return c2g, g2c


def load_font(name: str, path: str | Path, subfont: int = 0) -> TTFont:
    """A ReportLab ``TTFont`` as ``TTFont(name, path, subfontIndex=subfont)`` makes it,
    its face read by :class:`FastFace` (the same attributes, in a fraction of the time)."""
    font = TTFont.__new__(TTFont)
    font.fontName = name
    font.face = FastFace(str(path), subfontIndex=subfont)
    font.encoding = ttfonts.TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = not any(fnmatch(name, g) for g in rl_config.unShapedFontGlob)
    return font


@dataclass(frozen=True)
class FontFile:
    """One font face on disk (a TTC needs its subfont index)."""

    path: Path
    subfont: int = 0
    origin: str = "bundled"  # "bundled" | "system" | "env"

    @property
    def key(self) -> str:
        return f"{self.path}#{self.subfont}"


def is_truetype_outline(path: Path, subfont: int = 0) -> bool:
    """True if the face has TrueType (glyf) outlines; ReportLab cannot embed CFF outlines."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(12)
            offset = 0
            if head[:4] == b"ttcf":
                count = struct.unpack(">I", head[8:12])[0]
                if subfont >= count:
                    return False
                fh.seek(12 + 4 * subfont)
                offset = struct.unpack(">I", fh.read(4))[0]
                fh.seek(offset)
                head = fh.read(12)
            if head[:4] not in (b"\x00\x01\x00\x00", b"true"):
                return False
            num_tables = struct.unpack(">H", head[4:6])[0]
            fh.seek(offset + 12)
            tags = {fh.read(16)[:4] for _ in range(num_tables)}
            return b"glyf" in tags and b"CFF " not in tags
    except OSError:
        return False


def default_search_dirs() -> list[Path]:
    """Folders searched for system fonts: $WENZE_FONT_DIR (os.pathsep list), then Windows'."""
    dirs: list[Path] = []
    env = os.environ.get("WENZE_FONT_DIR")
    if env:
        dirs += [Path(p) for p in env.split(os.pathsep) if p]
    windir = os.environ.get("WINDIR") or os.environ.get("SYSTEMROOT")
    if windir:
        dirs.append(Path(windir) / "Fonts")
    local = os.environ.get("LOCALAPPDATA")
    if local:
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    return dirs


class FontSet:
    """Resolves roles to fonts, registers them with ReportLab lazily, answers glyph coverage.

    Thread-safe; one per process is enough (see ``get_fontset``). Registration of a CJK font
    costs 0.05–0.2 s, so a font is only parsed when a role or a fallback first needs it.
    """

    def __init__(
        self,
        search_dirs: Iterable[Path] | None = None,
        bundled_dir: Path | None = None,
    ) -> None:
        self._search_dirs = list(default_search_dirs() if search_dirs is None else search_dirs)
        self._bundled_dir = bundled_dir or resource_path("fonts")
        self._lock = threading.RLock()
        self._registered: dict[str, str] = {}  # FontFile.key -> ReportLab font name
        self._faces: dict[str, TTFont] = {}  # ReportLab font name -> TTFont
        self._files: dict[str, FontFile] = {}  # ReportLab font name -> FontFile
        self._dir_listing: dict[Path, dict[str, Path]] = {}
        self._role_files: dict[str, FontFile] = {}
        self._chain: list[FontFile] | None = None
        self._char_cache: dict[tuple[str, str], str | None] = {}

    # ---- discovery -------------------------------------------------------------------
    def _find_in_dirs(self, filename: str) -> Path | None:
        for d in self._search_dirs:
            if d not in self._dir_listing:
                try:
                    self._dir_listing[d] = {p.name.lower(): p for p in d.iterdir()}
                except OSError:
                    self._dir_listing[d] = {}
            hit = self._dir_listing[d].get(filename.lower())
            if hit is not None:
                return hit
        return None

    def _system_file(self, filename: str, subfont: int) -> FontFile | None:
        path = self._find_in_dirs(filename)
        if path is None or not is_truetype_outline(path, subfont):
            return None
        env_dirs = os.environ.get("WENZE_FONT_DIR", "").split(os.pathsep)
        origin = "env" if str(path.parent) in env_dirs else "system"
        return FontFile(path, subfont, origin)

    def _bundled(self, spec: tuple[str, int]) -> FontFile:
        return FontFile(self._bundled_dir / spec[0], spec[1], "bundled")

    def role_file(self, role: str) -> FontFile:
        """The font file that fills ``role``: a system font if present, else a bundled one."""
        if role not in ROLES:
            raise ValueError(f"未知的字体角色：{role}")
        with self._lock:
            if role not in self._role_files:
                found = None
                for name, idx in SYSTEM_CANDIDATES[role]:
                    found = self._system_file(name, idx)
                    if found:
                        break
                self._role_files[role] = found or self._bundled(BUNDLED_ROLE[role])
            return self._role_files[role]

    def needs_fake_bold(self, role: str) -> bool:
        """The title role without a real 小标宋 is drawn emboldened to approximate its weight."""
        return role == ROLE_TITLE and self.role_file(role).path.name.lower() not in REAL_TITLE_FILES

    def fallback_chain(self) -> list[FontFile]:
        with self._lock:
            if self._chain is None:
                chain: list[FontFile] = []
                for name, idx in SYSTEM_FALLBACK:
                    f = self._system_file(name, idx)
                    if f:
                        chain.append(f)
                chain += [
                    self._bundled(s)
                    for s in BUNDLED_FALLBACK
                    if (self._bundled_dir / s[0]).exists()
                ]
                self._chain = chain
            return self._chain

    # ---- registration ------------------------------------------------------------------
    def register(self, ff: FontFile) -> str:
        """Register ``ff`` with ReportLab once per process; return its ReportLab font name."""
        with self._lock:
            name = self._registered.get(ff.key)
            if name is not None:
                return name
            stem = "".join(c if c.isascii() and c.isalnum() else "-" for c in ff.path.stem)
            name = f"Wenze-{stem}-{ff.subfont}"
            # Not getFont(name) to ask: for a name it does not know, ReportLab parses every
            # AFM file on its search path (36 files, ≈ 40 ms) looking for a Type 1 face.
            if name in pdfmetrics.getRegisteredFontNames():
                face = pdfmetrics.getFont(name)
            else:
                face = load_font(name, ff.path, ff.subfont)
                pdfmetrics.registerFont(face)
            self._registered[ff.key] = name
            self._faces[name] = face
            self._files[name] = ff
            return name

    def role_font(self, role: str) -> str:
        """ReportLab font name for ``role`` (registering it on first use)."""
        return self.register(self.role_file(role))

    def face(self, font_name: str) -> TTFont:
        return self._faces[font_name]

    def file_of(self, font_name: str) -> FontFile:
        return self._files[font_name]

    def registered_fonts(self) -> dict[str, FontFile]:
        with self._lock:
            return dict(self._files)

    def has_glyph(self, font_name: str, ch: str) -> bool:
        """True if the font maps ``ch`` to a real glyph (not .notdef)."""
        return bool(self._faces[font_name].face.charToGlyph.get(ord(ch)))

    def descent(self, font_name: str) -> float:
        """Descent as a fraction of the em (negative)."""
        return self._faces[font_name].face.descent / 1000.0

    def width(self, font_name: str, ch: str, size: float) -> float:
        return pdfmetrics.stringWidth(ch, font_name, size)

    # ---- per-character resolution ---------------------------------------------------------
    def font_for_char(self, role: str, ch: str) -> str | None:
        """Font that draws ``ch`` for ``role``: the role font, else the first fallback with it."""
        key = (role, ch)
        with self._lock:
            if key in self._char_cache:
                return self._char_cache[key]
            primary = self.role_font(role)
            result: str | None = None
            if self.has_glyph(primary, ch):
                result = primary
            else:
                for ff in self.fallback_chain():
                    try:
                        name = self.register(ff)
                    except TTFError:
                        continue
                    if self.has_glyph(name, ch):
                        result = name
                        break
            self._char_cache[key] = result
            return result

    def runs(
        self, role: str, text: str, warnings: list[str] | None = None
    ) -> list[tuple[str, str]]:
        """Split ``text`` into (font name, text) runs; missing characters become 〓 + warning."""
        out: list[tuple[str, str]] = []
        for ch, font in self.resolve(role, text, warnings):
            if out and out[-1][0] == font:
                out[-1] = (font, out[-1][1] + ch)
            else:
                out.append((font, ch))
        return out

    def resolve(
        self, role: str, text: str, warnings: list[str] | None = None
    ) -> list[tuple[str, str]]:
        """Per character: (character actually drawn, font name)."""
        result: list[tuple[str, str]] = []
        for ch in text:
            font = self.font_for_char(role, ch)
            if font is None:
                if ch.isspace():
                    result.append((" ", self.role_font(role)))
                    continue
                sub_font = self.font_for_char(role, SUBSTITUTE_CHAR) or self.role_font(role)
                msg = f"字符“{ch}”（U+{ord(ch):04X}）在所有可用字体中都没有字形，已用“〓”代替"
                if warnings is not None and msg not in warnings:
                    warnings.append(msg)
                result.append((SUBSTITUTE_CHAR, sub_font))
            else:
                result.append((ch, font))
        return result


_default: FontSet | None = None
_default_lock = threading.Lock()


def get_fontset() -> FontSet:
    """The process-wide FontSet (fonts are registered once per process)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = FontSet()
        return _default


def reset_fontset() -> None:
    """Forget role resolution (e.g. after WENZE_FONT_DIR changed); registrations persist."""
    global _default
    with _default_lock:
        _default = None
