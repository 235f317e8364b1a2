"""Write the prefecture-level cities into smsgateway/data/provinces.json (run by hand).

Source: the National Bureau of Statistics' division codes (统计用区划代码, 2023 edition) as
published in JSON by the public dataset modood/Administrative-divisions-of-China
(`dist/cities.json`: code, name, provinceCode). Each prefecture-level division (地级市, 地区,
自治州, 盟: 333 of them) becomes a city of its province; a municipality, Hong Kong, Macao and
Taiwan are their own one city. English names are Hanyu Pinyin from `pypinyin` (syllables
joined, an apostrophe where a syllable starting a/o/e would run into the one before, as in
Xi'an), except the names English uses that are not plain pinyin (`ENGLISH` below, from the
divisions' own official romanisations: Hohhot, Urumqi, Lhasa, Kashgar…), checked by hand.

    python scripts/gazetteer.py path/to/cities.json
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from pypinyin import Style, lazy_pinyin

DATA = Path(__file__).parent.parent / "smsgateway" / "data" / "provinces.json"

# Names whose English form is not the pinyin of the Chinese (minority-language names and
# settled spellings), and pinyin that pypinyin reads with the wrong tone-less syllable.
ENGLISH = {
    "呼和浩特": "Hohhot", "鄂尔多斯": "Ordos", "呼伦贝尔": "Hulunbuir", "巴彦淖尔": "Bayannur",
    "乌兰察布": "Ulanqab", "兴安": "Hinggan", "锡林郭勒": "Xilingol", "阿拉善": "Alxa",
    "拉萨": "Lhasa", "日喀则": "Shigatse", "昌都": "Qamdo", "林芝": "Nyingchi",
    "那曲": "Nagqu", "阿里": "Ngari", "乌鲁木齐": "Urumqi", "克拉玛依": "Karamay",
    "吐鲁番": "Turpan", "博尔塔拉": "Bortala", "巴音郭楞": "Bayingolin", "阿克苏": "Aksu",
    "克孜勒苏": "Kizilsu", "喀什": "Kashgar", "和田": "Hotan", "伊犁": "Ili", "阿勒泰": "Altay",
    "塔城": "Tacheng", "果洛": "Golog", "阿坝": "Ngawa", "甘孜": "Garze", "哈尔滨": "Harbin",
    "齐齐哈尔": "Qiqihar", "大兴安岭": "Da Hinggan Ling", "蚌埠": "Bengbu", "六安": "Lu'an",
    "亳州": "Bozhou", "长沙": "Changsha", "长春": "Changchun", "长治": "Changzhi",
    "重庆": "Chongqing", "厦门": "Xiamen", "丽水": "Lishui", "丽江": "Lijiang",
    "乐山": "Leshan", "大理": "Dali", "朝阳": "Chaoyang", "濮阳": "Puyang", "吕梁": "Lvliang",
    "东莞": "Dongguan", "莆田": "Putian", "儋州": "Danzhou", "香港": "Hong Kong",
    "澳门": "Macao", "台湾": "Taiwan", "普洱": "Pu'er", "西双版纳": "Xishuangbanna",
    "迪庆": "Diqing", "汕尾": "Shanwei", "汕头": "Shantou",
    "嘉峪关": "Jiayuguan", "石嘴山": "Shizuishan", "鹤壁": "Hebi", "鹤岗": "Hegang",
    "漯河": "Luohe", "衢州": "Quzhou", "台州": "Taizhou", "泰州": "Taizhou", "宿州": "Suzhou",
    "宿迁": "Suqian", "中卫": "Zhongwei", "曲靖": "Qujing",
    "六盘水": "Liupanshui", "铜仁": "Tongren", "黔东南": "Qiandongnan", "黔南": "Qiannan",
    "黔西南": "Qianxinan", "怒江": "Nujiang", "红河": "Honghe", "海东": "Haidong",
    "海西": "Haixi", "海北": "Haibei", "海南": "Hainan", "黄南": "Huangnan", "玉树": "Yushu",
    "景德镇": "Jingdezhen", "南昌": "Nanchang", "葫芦岛": "Huludao", "白山": "Baishan",
    "佳木斯": "Jiamusi", "七台河": "Qitaihe",
    "哈密": "Hami", "昌吉": "Changji", "延边": "Yanbian", "湘西": "Xiangxi", "恩施": "Enshi",
    "凉山": "Liangshan", "楚雄": "Chuxiong", "文山": "Wenshan", "德宏": "Dehong",
    "临夏": "Linxia", "甘南": "Gannan",
}
_ETHNIC = re.compile(r"(蒙古|藏族|回族|傣族|彝族|苗族|侗族|土家族|朝鲜族|哈萨克|柯尔克孜|布依族"
                     r"|白族|傈僳族|哈尼族|壮族|羌族|景颇族).*自治州$")
_SUFFIX = re.compile(r"(自治州|地区|盟|市)$")
_MUNICIPAL = {"市辖区", "县"}  # rows of a municipality: the municipality is the city
_COUNTY_LEVEL = {"省直辖县级行政区划", "自治区直辖县级行政区划"}  # not prefecture-level


def short_of(name: str) -> str:
    """The name without its suffix: 德宏傣族景颇族自治州 → 德宏, 阿里地区 → 阿里."""
    return _SUFFIX.sub("", _ETHNIC.sub("", name)) or name


def english(short: str) -> str:
    """The English name of a division's short name (see the module's doc)."""
    if short in ENGLISH:
        return ENGLISH[short]
    syllables = lazy_pinyin(short, style=Style.NORMAL, v_to_u=False)
    word = syllables[0]
    for syllable in syllables[1:]:
        word += ("'" if syllable[0] in "aoe" else "") + syllable
    return word.capitalize()


def kind_of(name: str) -> str:
    """地级市 city, 地区 prefecture, 自治州 autonomous prefecture, 盟 league."""
    for suffix, kind in (("自治州", "autonomous_prefecture"), ("地区", "prefecture"),
                         ("盟", "league")):
        if name.endswith(suffix):
            return kind
    return "city"


def main(source: str) -> None:
    """Add each province's cities to the data file."""
    rows = json.loads(Path(source).read_text(encoding="utf-8"))
    data = json.loads(DATA.read_text(encoding="utf-8"))
    by_code: dict[str, list[dict[str, object]]] = {}
    for row in rows:
        if row["name"] in _MUNICIPAL | _COUNTY_LEVEL:
            continue
        short = short_of(row["name"])
        by_code.setdefault(row["provinceCode"], []).append(
            {"zh": row["name"], "en": english(short), "short": short, "kind": kind_of(row["name"])})
    codes = {"北京市": "11", "天津市": "12", "河北省": "13", "山西省": "14", "内蒙古自治区": "15",
             "辽宁省": "21", "吉林省": "22", "黑龙江省": "23", "上海市": "31", "江苏省": "32",
             "浙江省": "33", "安徽省": "34", "福建省": "35", "江西省": "36", "山东省": "37",
             "河南省": "41", "湖北省": "42", "湖南省": "43", "广东省": "44",
             "广西壮族自治区": "45", "海南省": "46", "重庆市": "50", "四川省": "51",
             "贵州省": "52", "云南省": "53", "西藏自治区": "54", "陕西省": "61", "甘肃省": "62",
             "青海省": "63", "宁夏回族自治区": "64", "新疆维吾尔自治区": "65"}
    for province in data["provinces"]:
        cities = by_code.get(codes.get(province["zh"], ""), [])
        province["cities"] = cities or [  # a municipality, an SAR, Taiwan: itself
            {"zh": province["zh"].removesuffix("特别行政区").removesuffix("省"),
             "en": province["en"], "short": province["short"], "kind": province["kind"]}]
    data["_about"] = (
        "China's 34 provincial-level divisions (23 provinces, 5 autonomous regions, 4 "
        "municipalities, 2 special administrative regions) and, in each, its prefecture-level "
        "divisions (333: cities, prefectures, autonomous prefectures, leagues; a municipality, "
        "an SAR and Taiwan are their own one city). 'en' is the form a posting stores; 'zh', "
        "'short' and 'aliases' are accepted as well (see smsgateway/kernel/provinces.py). "
        "Cities from the National Bureau of Statistics' 2023 division codes, English names "
        "by scripts/gazetteer.py.")
    DATA.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1])
