"""Rebuild ``hanazono-fallback.ttf``: the last-resort fallback font for rare characters.

Why a subset: the full Hanazono Mincho A/B fonts are 53 MB together. The bundled fonts
(AR PL UMing, LXGW WenKai, WenQuanYi Micro Hei) already cover the common and most name
characters; this subset adds only the ideographs from HanaMinA that none of them has
(the rest of CJK Ext-A, compatibility ideographs and HanaMinA's share of Ext-B), about
8,000 glyphs in ~3.5 MB. It is taken under the Hanazono Font License (modification and
redistribution allowed without restriction); see LICENSE-hanazono.txt.

Source: Debian package ``fonts-hanazono`` (20170904), file HanaMinA.ttf. Usage (dev only,
needs fontTools)::

    python resources/fonts/build_hanazono_subset.py /path/to/HanaMinA.ttf
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

HERE = Path(__file__).resolve().parent
BUNDLED = [("uming.ttc", 0), ("LXGWWenKai-Regular.ttf", -1), ("wqy-microhei.ttc", 0)]


def _is_ideograph(cp: int) -> bool:
    return (
        0x3400 <= cp <= 0x4DBF
        or 0x4E00 <= cp <= 0x9FFF
        or 0xF900 <= cp <= 0xFAFF
        or 0x20000 <= cp <= 0x3FFFF
    )


def main(src: str) -> None:
    covered: set[int] = set()
    for name, index in BUNDLED:
        covered |= set(TTFont(HERE / name, fontNumber=index, lazy=True).getBestCmap())
    font = TTFont(src)
    wanted = [cp for cp in font.getBestCmap() if _is_ideograph(cp) and cp not in covered]
    # U+3013 GETA MARK is the visible substitute for characters no font has.
    wanted.append(0x3013)
    opts = subset.Options()
    opts.layout_features = []
    opts.name_IDs = ["*"]
    opts.hinting = False
    opts.notdef_outline = True
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=wanted)
    sub.subset(font)
    out = HERE / "hanazono-fallback.ttf"
    font.save(out)
    print(f"{out}: {len(wanted)} code points, {out.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main(sys.argv[1])
