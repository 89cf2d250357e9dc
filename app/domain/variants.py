"""Traditional characters the reporter check reads as their simplified forms (第十条).

A clerk who types a reporter's name in traditional characters (「張偉」 for 张伟, as some input
methods or a pasted letter give it) names him no less. The check folds both the text and the
reporter's identity through this table before it compares them (app.domain.issuing), so a
document, a summary or a record is refused whichever form it uses. The table is short and
written here: the traditional forms of the common surnames and given-name characters, and of
the words an address is written with (楼, 号, 单元, 区…). A character missing from it is
compared as it is; two characters folded alike can only make the check refuse more, never
let a reporter through.
"""

from __future__ import annotations

#: Each pair: a traditional form, then its simplified one.
_PAIRS = (
    # surnames
    "張张劉刘陳陈楊杨趙赵黃黄吳吴孫孙馬马羅罗鄭郑謝谢許许韓韩馮冯鄧邓蕭萧蔣蒋葉叶蘇苏"
    "呂吕盧卢鍾钟譚谭陸陆範范賈贾韋韦鄒邹閆闫龍龙賀贺顧顾龔龚萬万錢钱嚴严湯汤餘余鄔邬"
    "聶聂薑姜雲云喬乔魯鲁鄺邝藍蓝歐欧區区單单"
    # given names
    "偉伟華华國国軍军東东紅红麗丽強强傑杰濤涛鵬鹏飛飞鳳凤靜静豔艳艷艳輝辉貴贵寶宝興兴"
    "勝胜進进賢贤鳴鸣瑩莹潔洁嬌娇藝艺誠诚義义愛爱慶庆發发順顺長长廣广為为連连寧宁瑋玮"
    "蘭兰雙双權权曉晓陽阳鋒锋剛刚濱滨鋼钢綱纲樂乐歡欢榮荣晉晋嶺岭嵐岚書书詩诗夢梦園园"
    "韻韵儀仪綺绮憲宪維维紀纪綠绿銀银鐵铁達达遠远運运濟济億亿從从來来聖圣時时溫温澤泽"
    "賓宾聰聪穎颖銘铭錦锦學学會会開开亞亚衛卫峯峰倫伦傳传濰潍瀟潇瓊琼環环璽玺"
    "禎祯禮礼紋纹統统絲丝經经綿绵緣缘縉缙繼继鬱郁鶴鹤鷹鹰黨党齊齐齡龄堯尧"
    "莊庄憶忆懷怀戰战揚扬擁拥斕斓曄晔曆历楓枫標标橋桥機机檸柠歸归沖冲漢汉潤润"
    "熱热燦灿爾尔琺珐琿珲瑤瑶璣玑碩硕祿禄穩稳節节簡简紳绅細细纓缨"
    "聲声肅肃蓮莲蘊蕴覺觉詠咏語语謙谦豐丰貞贞財财賽赛贇赟軒轩輪轮農农邁迈"
    "郵邮鈺钰鈴铃鋭锐錫锡鎧铠鏡镜鐘钟雋隽靈灵韜韬頌颂頤颐題题"
    "顏颜風风駿骏騰腾驍骁鬆松鮑鲍鯤鲲鴻鸿鵑鹃麥麦"
    # an address
    "樓楼號号層层門门縣县鎮镇鄉乡裡里裏里灣湾廈厦棟栋衚胡衕同組组"
    "樁桩場场廠厂礦矿"
)

#: ``str.translate`` table: a traditional character to its simplified form.
TRADITIONAL = str.maketrans(_PAIRS[0::2], _PAIRS[1::2])


def simplified(text: str) -> str:
    """``text`` with the traditional characters of the table written simplified."""
    return text.translate(TRADITIONAL)
