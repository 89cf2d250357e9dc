"""The demo's bureau: its sections, squads and staff (the master data every demo case draws
its subjects, investigators and reviewers from)."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from app.domain import enums

if TYPE_CHECKING:
    from app.services import Services

SECTIONS = ["办公室", "法制科", "督查科", "执法监督科", "综合协调科", "政工科"]
SQUADS = ["城区一中队", "城区二中队", "石岛中队", "港湾中队", "崖头中队", "宁津中队", "俚岛中队"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志强海燕晓东立新文博子涵浩然思远雨轩喆赟堃"
POSTS = {  # a section has no 副中队长, a squad no 副科长
    "科室": ["科员", "一级科员", "副科长", "四级主任科员"],
    "执法中队": ["科员", "执法队员", "副中队长", "执法队员"],  # 「城区一中队副中队长」
}
LEADER_POSTS = {"科室": "科长", "执法中队": "中队长"}


def seed_master_data(svc: Services, rng: random.Random) -> None:
    if svc.masterdata.list_units(include_inactive=True):
        return
    for name in SECTIONS:
        svc.masterdata.create_unit(name, enums.UnitKind.SECTION)
    for name in SQUADS:
        svc.masterdata.create_unit(name, enums.UnitKind.SQUAD)
    used: set[str] = set()
    for unit in svc.masterdata.list_units():
        for i in range(6):
            while True:
                name = rng.choice(SURNAMES) + "".join(
                    rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))
                )
                if name not in used:
                    used.add(name)
                    break
            leader = i == 0
            post = LEADER_POSTS[unit.kind] if leader else rng.choice(POSTS[unit.kind])
            svc.masterdata.create_person(
                name, unit.id, post, is_leader=leader, cadre_level="正科级" if leader else "科员级"
            )
    # The discipline committee's own staff: the investigators and reviewers.
    svc.masterdata.create_unit("机关纪委", enums.UnitKind.SECTION)
    jiwei = next(u for u in svc.masterdata.list_units() if u.name == "机关纪委")
    for name in ["纪晓岚", "崔明远", "尹正清", "严守法", "方公允", "白如雪"]:
        svc.masterdata.create_person(name, jiwei.id, "纪检干事")
