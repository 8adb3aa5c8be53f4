"""Writes the labelled petition set for the merge-suggestion benchmark and tests.

    .venv/bin/python bench/make_petition_pairs.py   # → tests/shared/data/petition_pairs.json

Petitions are written the way complaints reach a county's 信访 desk (the seeds' 网络信访 and
信访举报; the conformance scenarios' "反映城关镇市场监管所赵某办理食品经营许可时超标准收费八十元"):
who is complained about, in which unit, what they did, an amount, a village. A *complaint*
(one cluster) is told two or three times, each in other words — another sentence pattern,
another order, 八十元 or 80元, an opening like 尊敬的领导 or none — as when one person writes,
phones and visits, or several villagers write about the same thing (一信多投). Around them:
other complaints about the same person (not the same complaint), and the same kind of
complaint about other people, some in the same unit or with the same surname (hard ones).

Pairs are labelled ``duplicate`` (same complaint), ``same_subject`` (same person, another
complaint) or ``other_subject`` (another person; the same kind of complaint when possible).
The set is fixed by the seed: regenerate it only on purpose.
"""

from __future__ import annotations

import itertools
import json
import random
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parents[1] / "tests" / "shared" / "data" / "petition_pairs.json"
SEED = 20261204

SUBJECTS = [
    ("赵某", "窗口人员", "城关镇市场监管所"), ("钱某某", "所长", "城关镇国土所"), ("何某", "副所长", "城关镇国土所"),
    ("孙某", "会计", "东关镇财政所"), ("李某", "主任", "西山乡便民服务中心"), ("周某", "科长", "县住建局审批科"),
    ("吴某", "村支书", "马村村委会"), ("郑某", "站长", "北营镇农经站"), ("王某", "副所长", "南河镇派出所"),
    ("冯某", "工作人员", "县自然资源局"), ("陈某某", "所长", "东关镇国土所"), ("褚某", "主任", "城关镇社保所"),
    ("卫某", "窗口人员", "县行政审批局"), ("蒋某", "村主任", "李庄村委会"), ("沈某", "副镇长", "北营镇人民政府"),
    ("韩某", "会计", "西山乡财政所"), ("杨某", "科员", "县市场监管局"), ("朱某", "站长", "南河镇林业站"),
    ("秦某", "所长", "北营镇财政所"), ("尤某", "窗口人员", "东关镇便民服务中心"), ("许某", "主任", "县住建局"),
    ("赵某", "会计", "西山乡民政所"), ("吕某", "村会计", "后营村委会"), ("施某", "科长", "县人社局"),
    ("张某", "所长", "河西镇国土所"), ("孔某", "工作人员", "河西镇财政所"), ("曹某", "村支书", "张家湾村委会"),
    ("严某", "副主任", "城关镇便民服务中心"), ("华某", "窗口人员", "城关镇市场监管所"),
    ("金某", "站长", "东关镇水利站"),
]
ITEMS = ["食品经营许可", "建筑工程施工许可", "户外广告设置审批", "宅基地审批", "营业执照", "不动产登记", "林木采伐许可",
         "个体工商户登记", "二手房过户", "农村建房审批", "危房改造申请", "养老保险关系转移"]
VILLAGES = ["马村", "李庄村", "后营村", "河西村", "张家湾村", "北营村", "前进村", "东关村"]
SUBSIDIES = ["耕地地力保护补贴", "危房改造补助", "退耕还林补助", "城乡居民养老补贴", "粮食直补", "残疾人两项补贴"]
PLACES = ["县城一家酒店", "镇上的农家乐", "开发区一家饭店", "县城的一家会所"]
PROJECTS = ["村道硬化工程", "农田水利工程", "小学校舍维修工程", "村委会办公楼建设", "河道清淤工程"]

# Each kind of complaint in three sentence patterns; a cluster tells one complaint in two or three of them.
KINDS: dict[str, list[str]] = {
    "fees": [
        "反映{unit}{name}办理{item}时超标准收费{amount}",
        "{unit}的{name}在{item}中多收了{amount}费用",
        "举报{unit}{title}{name}乱收费，我办{item}被收了{amount}，超出规定标准",
    ],
    "bribe": [
        "{unit}{name}在办理{item}时向我索要好处费{amount}，不给就不办",
        "反映{name}（{unit}{title}）借办理{item}之机索取财物{amount}",
        "我去{unit}办{item}，{name}暗示要给{amount}红包才给盖章",
    ],
    "delay": [
        "{unit}{name}对我的{item}申请拖了{days}不办，多次催问都说等通知",
        "反映{unit}{title}{name}办理{item}故意拖延，超过承诺时限{days}仍未办结",
        "我申请{item}已经{days}了，{unit}的{name}一直推脱不办",
    ],
    "refuse": [
        "{unit}{name}拒绝受理我的{item}申请，也不说明理由",
        "反映{name}不给办{item}，问原因也不给书面答复，{unit}推诿扯皮",
        "到{unit}申请{item}，{title}{name}不收材料，也不出具不予受理通知书",
    ],
    "subsidy": [
        "反映{unit}{title}{name}在发放{subsidy}时克扣{village}村民补贴{amount}",
        "{village}的{subsidy}被{unit}的{name}扣了{amount}，一直没有补发",
        "举报{name}截留{village}{subsidy}，每户少发{amount}",
    ],
    "dibao": [
        "反映{village}低保评定不公，{unit}{title}{name}把自己亲戚评为低保户",
        "{name}（{unit}）优亲厚友，{village}有条件好的人家吃低保，真正困难的评不上",
        "举报{village}的{name}给亲属办理低保，群众意见很大",
    ],
    "land": [
        "{village}征地补偿款{amount}被{unit}{name}拖欠至今未发",
        "反映{unit}{title}{name}挪用{village}征地补偿款{amount}",
        "我们{village}的征地补偿{amount}，{name}说已经发了，其实一分没到账",
    ],
    "homestead": [
        "反映{unit}{name}违规给不符合条件的人批宅基地，收了好处",
        "{unit}的{title}{name}审批{village}宅基地时优亲厚友，我家符合条件却批不下来",
        "举报{name}在{village}宅基地审批中弄虚作假，违规审批",
    ],
    "gambling": [
        "{unit}{title}{name}上班时间在办公室打牌，群众办事找不到人",
        "反映{name}工作日经常在{unit}打麻将赌博",
        "{unit}的{name}上班时间打牌赌钱，窗口经常没人",
    ],
    "car": [
        "反映{unit}{title}{name}周末开公车接送孩子上学",
        "{name}经常把{unit}的公务车开回家私用",
        "举报{unit}{name}公车私用，节假日开单位车辆外出游玩",
    ],
    "banquet": [
        "{unit}{name}多次接受办事企业宴请，在{place}大吃大喝",
        "反映{unit}{title}{name}用公款在{place}吃喝",
        "举报{name}让办{item}的企业在{place}请客吃饭",
    ],
    "attitude": [
        "{unit}窗口{name}服务态度恶劣，办理{item}时对群众大声呵斥",
        "反映{name}（{unit}）态度蛮横，我咨询{item}问题被骂了出来",
        "我到{unit}办{item}，{title}{name}冷言冷语，很不耐烦",
    ],
    "bidding": [
        "反映{unit}{title}{name}在{project}招标中泄露标底，让亲戚中标",
        "{project}招标有猫腻，{unit}的{name}暗箱操作",
        "举报{name}插手{project}招投标，指定施工队",
    ],
}
OPENINGS = ["", "", "", "尊敬的领导：", "本人实名反映：", "我是{village}村民，", "我们是{village}的群众，"]
CLOSINGS = ["", "", "请纪委调查处理。", "希望领导重视，严肃查处。", "恳请上级部门核实。", "这种行为严重损害群众利益。",
            "请给我们一个说法。"]
CHANNELS = ["letter", "visit", "phone", "online", "hotline"]
#: What a unit approves, so that a complaint names an item the unit could have handled.
ITEMS_BY_UNIT = {
    "市场监管": ["食品经营许可", "营业执照", "个体工商户登记"],
    "国土": ["宅基地审批", "不动产登记", "农村建房审批"],
    "自然资源": ["不动产登记", "林木采伐许可"],
    "林业": ["林木采伐许可"],
    "住建": ["建筑工程施工许可", "危房改造申请"],
    "审批": ["建筑工程施工许可", "户外广告设置审批", "营业执照"],
    "社保": ["养老保险关系转移"],
    "人社": ["养老保险关系转移"],
    "派出所": ["户口迁移", "居住证办理"],
    "便民服务中心": ["二手房过户", "个体工商户登记", "危房改造申请", "农村建房审批"],
}


def items_for(unit: str) -> list[str]:
    return next((items for key, items in ITEMS_BY_UNIT.items() if key in unit), ITEMS)
_DIGITS = "零一二三四五六七八九"


def in_words(n: int) -> str:
    """A whole number below 10,000 in Chinese words (三百五十, 一千零二十)."""
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // value % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        digit = "两" if (d == 2 and value >= 1000) else _DIGITS[d]
        out += ("" if (value == 10 and d == 1 and not out) else digit) + unit
    return out or "零"


def amount_text(rng: random.Random, yuan: int) -> str:
    return f"{in_words(yuan)}元" if rng.random() < 0.5 else f"{yuan}元"


def days_text(rng: random.Random, days: int) -> str:
    return rng.choice([f"{days}天", f"{in_words(days)}天", f"{days}日"])


def make(seed: int = SEED) -> dict[str, Any]:
    rng = random.Random(seed)
    petitions: list[dict[str, Any]] = []
    clusters: list[dict[str, Any]] = []
    kinds = list(KINDS)
    # Each subject gets one to three complaints of different kinds; each complaint is told 2–3 times.
    for s_index, (name, title, unit) in enumerate(SUBJECTS):
        for kind in rng.sample(kinds, rng.choice([1, 2, 3, 3])):
            slots = {"name": name, "title": title, "unit": unit, "item": rng.choice(items_for(unit)),
                     "village": rng.choice(VILLAGES), "subsidy": rng.choice(SUBSIDIES), "place": rng.choice(PLACES),
                     "project": rng.choice(PROJECTS)}
            yuan = rng.choice([50, 80, 120, 200, 300, 350, 500, 600, 800, 1000, 1200, 2000, 3000])
            days = rng.choice([20, 30, 45, 60, 90])
            cluster = f"c{len(clusters):03d}"
            patterns = rng.sample(KINDS[kind], rng.choice([2, 2, 3]))
            members = []
            for pattern in patterns:
                text = pattern.format(**slots, amount=amount_text(rng, yuan), days=days_text(rng, days))
                opening = rng.choice(OPENINGS).format(**slots)
                closing = rng.choice(CLOSINGS)
                # A caller or a second letter often names the unit loosely, or not the title.
                subject = {"name": name, "unit": unit, "title": title if rng.random() < 0.6 else ""}
                pid = f"p{len(petitions):03d}"
                petitions.append({"id": pid, "cluster": cluster, "kind": kind, "subject_index": s_index,
                                  "channel": rng.choice(CHANNELS), "subject": subject,
                                  "content": f"{opening}{text}。{closing}".replace("。。", "。")})
                members.append(pid)
            clusters.append({"id": cluster, "kind": kind, "subject_index": s_index, "petitions": members})

    by_id = {p["id"]: p for p in petitions}
    pairs: list[dict[str, Any]] = []
    for c in clusters:
        for a, b in itertools.combinations(c["petitions"], 2):
            pairs.append({"a": a, "b": b, "label": "duplicate"})
    same_subject = [(a["id"], b["id"]) for a, b in itertools.combinations(petitions, 2)
                    if a["subject_index"] == b["subject_index"] and a["cluster"] != b["cluster"]]
    same_kind = [(a["id"], b["id"]) for a, b in itertools.combinations(petitions, 2)
                 if a["subject_index"] != b["subject_index"] and a["kind"] == b["kind"]]
    hard = [(a, b) for a, b in same_kind
            if by_id[a]["subject"]["unit"] == by_id[b]["subject"]["unit"]
            or by_id[a]["subject"]["name"] == by_id[b]["subject"]["name"]]
    other = [(a["id"], b["id"]) for a, b in itertools.combinations(petitions, 2)
             if a["subject_index"] != b["subject_index"] and a["kind"] != b["kind"]]
    for a, b in rng.sample(same_subject, min(120, len(same_subject))):
        pairs.append({"a": a, "b": b, "label": "same_subject"})
    chosen = set(hard) | set(rng.sample(same_kind, min(120, len(same_kind))))
    for a, b in sorted(chosen):
        pairs.append({"a": a, "b": b, "label": "other_subject"})
    for a, b in rng.sample(other, 40):
        pairs.append({"a": a, "b": b, "label": "other_subject"})
    for p in petitions:
        del p["subject_index"]
    return {"about": __doc__.strip().splitlines()[0], "seed": seed, "petitions": petitions, "pairs": pairs}


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=SEED, help="another seed makes another set (for tuning)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    data = make(args.seed)
    out: Path = args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    labels: dict[str, int] = {}
    for pair in data["pairs"]:
        labels[pair["label"]] = labels.get(pair["label"], 0) + 1
    print(f"{out}: {len(data['petitions'])} petitions, {len(data['pairs'])} labelled pairs {labels}")


if __name__ == "__main__":
    main()
