"""Fonts for official documents: bundled files, role resolution, per-character fallback."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from app.documents.fonts import (
    ROLE_BODY,
    ROLE_HEADING1,
    ROLE_HEADING2,
    ROLE_PAGE_NUMBER,
    ROLE_TITLE,
    ROLES,
    SUBSTITUTE_CHAR,
    FontSet,
    default_search_dirs,
    is_truetype_outline,
)
from app.documents.layout import render_pdf
from app.documents.model import Doc, Para
from app.resources import resource_path

FONT_DIR = resource_path("fonts")
BUNDLED = ["uming.ttc", "LXGWWenKai-Regular.ttf", "wqy-microhei.ttc", "hanazono-fallback.ttf"]
RARE_NAME_CHARS = "喆赟堃𠮷𬌗䶮龑昇珺"
NOTO_CFF = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
# U+30000 is CJK Extension G (Unicode 13, 2020): none of the bundled fonts has it.
NO_FONT_HAS = "\U00030000"


@pytest.fixture
def bundled_only() -> FontSet:
    return FontSet(search_dirs=[])


def test_bundled_fonts_are_truetype_outline_with_licences() -> None:
    total = 0
    for name in BUNDLED:
        path = FONT_DIR / name
        assert is_truetype_outline(path, 0), name
        total += path.stat().st_size
    assert total < 46 * 1024 * 1024
    licences = {p.name for p in FONT_DIR.glob("LICENSE-*.txt")}
    assert licences == {
        "LICENSE-arphic-uming.txt",
        "LICENSE-LXGWWenKai-OFL.txt",
        "LICENSE-wqy-microhei.txt",
        "LICENSE-hanazono.txt",
    }
    assert "Open Font License" in (FONT_DIR / "LICENSE-LXGWWenKai-OFL.txt").read_text()
    assert "Hanazono Font License" in (FONT_DIR / "LICENSE-hanazono.txt").read_text()


@pytest.mark.skipif(not NOTO_CFF.exists(), reason="fonts-noto-cjk not installed")
def test_cff_fonts_are_rejected() -> None:
    assert not is_truetype_outline(NOTO_CFF, 0)


def test_roles_fall_back_to_bundled_fonts(bundled_only: FontSet) -> None:
    expected = {
        ROLE_BODY: "uming.ttc",
        ROLE_HEADING1: "wqy-microhei.ttc",
        ROLE_HEADING2: "LXGWWenKai-Regular.ttf",
        ROLE_PAGE_NUMBER: "uming.ttc",
        ROLE_TITLE: "uming.ttc",
    }
    for role in ROLES:
        ff = bundled_only.role_file(role)
        assert ff.path.name == expected[role]
        assert ff.origin == "bundled"
    assert bundled_only.needs_fake_bold(ROLE_TITLE)
    assert not bundled_only.needs_fake_bold(ROLE_BODY)


def test_font_dir_env_var_supplies_windows_fonts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A folder with Windows file names (any glyf font stands in for simkai/simhei here).
    shutil.copy(FONT_DIR / "LXGWWenKai-Regular.ttf", tmp_path / "SIMKAI.TTF")
    shutil.copy(FONT_DIR / "wqy-microhei.ttc", tmp_path / "simhei.ttf")
    if NOTO_CFF.exists():  # a CFF font under a system name must be skipped, not used
        shutil.copy(NOTO_CFF, tmp_path / "simsun.ttc")
    monkeypatch.setenv("WENZE_FONT_DIR", str(tmp_path))
    assert default_search_dirs()[0] == tmp_path
    fs = FontSet()
    kai = fs.role_file(ROLE_HEADING2)
    assert kai.path == tmp_path / "SIMKAI.TTF"
    assert kai.origin == "env"
    assert fs.role_file(ROLE_HEADING1).path == tmp_path / "simhei.ttf"
    assert fs.role_file(ROLE_PAGE_NUMBER).path.name == "uming.ttc"  # CFF simsun skipped
    assert fs.role_file(ROLE_BODY).origin == "bundled"  # no simfang.ttf there
    chain = [f.path.name for f in fs.fallback_chain()]
    assert chain[:2] == ["SIMKAI.TTF", "simhei.ttf"]
    assert chain[-1] == "hanazono-fallback.ttf"


def test_rare_name_characters_resolve_to_a_font_with_the_glyph(bundled_only: FontSet) -> None:
    for role in ROLES:
        for ch, font in bundled_only.resolve(role, RARE_NAME_CHARS):
            assert ch != SUBSTITUTE_CHAR
            assert bundled_only.has_glyph(font, ch), (role, ch, font)
    body = bundled_only.role_font(ROLE_BODY)
    assert not bundled_only.has_glyph(body, "𠮷")  # uming lacks it: the fallback is real
    assert bundled_only.font_for_char(ROLE_BODY, "𠮷") != body


def test_extension_a_character_missing_from_main_fonts_uses_hanazono(
    bundled_only: FontSet,
) -> None:
    # U+3400 㐀 is in Ext-A; pick an Ext-A character that uming/WenKai/WQY all lack.
    hana = bundled_only.register(bundled_only.fallback_chain()[-1])
    others = [bundled_only.register(f) for f in bundled_only.fallback_chain()[:-1]]
    candidates = [
        chr(cp)
        for cp in range(0x3400, 0x4DC0)
        if bundled_only.has_glyph(hana, chr(cp))
        and not any(bundled_only.has_glyph(o, chr(cp)) for o in others)
    ]
    assert len(candidates) > 4000
    ch = candidates[0]
    assert bundled_only.font_for_char(ROLE_BODY, ch) == hana


def test_character_no_font_has_is_substituted_with_warning(bundled_only: FontSet) -> None:
    warnings: list[str] = []
    runs = bundled_only.runs(ROLE_BODY, f"张{NO_FONT_HAS}三", warnings)
    assert "".join(text for _, text in runs) == f"张{SUBSTITUTE_CHAR}三"
    assert len(warnings) == 1
    assert "U+30000" in warnings[0]
    for font, text in runs:
        assert all(bundled_only.has_glyph(font, ch) for ch in text)


def test_rendered_rare_characters_embed_and_extract(tmp_path: Path) -> None:
    out = tmp_path / "rare.pdf"
    result = render_pdf(Doc("测试", blocks=[Para(f"当事人：{RARE_NAME_CHARS}{NO_FONT_HAS}")]), out)
    assert len(result.warnings) == 1 and "U+30000" in result.warnings[0]
    with pdfplumber.open(out) as pdf:
        text = pdf.pages[0].extract_text()
    # the ToUnicode fix: characters beyond the BMP copy out correctly
    assert RARE_NAME_CHARS in text
    assert SUBSTITUTE_CHAR in text
    listing = subprocess.run(
        ["pdffonts", str(out)], capture_output=True, text=True, check=True
    ).stdout
    rows = listing.splitlines()[2:]
    assert rows
    assert all(" yes " in row and "Helvetica" not in row for row in rows)
    assert any("LXGWWenKai" in row for row in rows)  # 𠮷 came from the fallback
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    for ref in fonts.values():
        descriptor = ref.get_object()["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor
