"""Plausible demo data: a Quangang-scale catalogue and township offices that generate
approval events, ratings and petitions over simulated time.

Deterministic for a seed, so the demo, the benchmarks and the screenshots are repeatable.
Cases are paced as in life: they arrive in office hours on working days (the built-in
calendar, so the Spring Festival is quiet), and each node takes hours to days of office
time, most finishing inside their share of the committed time limit, so the month's
early-completion rate, average working days and evaluation look like a county's. A share of
the generated cases break rules on purpose (late, skipped nodes, fees above the standard, …)
so the alert wall has something to show.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from shared.calendar import WorkCalendar
from shared.timeutil import HOUR, MINUTE, Instant, format_instant, local_day

NS = uuid.UUID("0f3b7f2e-6c1d-4a8e-9b52-7d6e5c4b3a21")

DEPARTMENTS = [
    "发展和改革局", "教育局", "科学技术局", "工业和信息化局", "公安局", "民政局", "司法局", "财政局",
    "人力资源和社会保障局", "自然资源局", "生态环境局", "住房和城乡建设局", "交通运输局", "水利局",
    "农业农村局", "商务局", "文化和旅游局", "卫生健康局", "退役军人事务局", "应急管理局", "审计局",
    "市场监督管理局", "统计局", "医疗保障局", "林业局", "城市管理局", "税务局", "消防救援大队",
    "气象局", "烟草专卖局", "档案局", "地震局", "人民防空办公室", "粮食和物资储备局", "海洋与渔业局",
    "港口管理局", "经济开发区管委会", "石化园区管委会", "行政服务中心", "公共资源交易中心", "民族宗教局",
    "残疾人联合会", "红十字会", "总工会", "团委", "妇联", "科协", "侨联", "工商联", "供销社",
    "住房公积金中心", "不动产登记中心", "社会保险中心", "医疗保险中心", "就业服务中心", "房产管理中心",
    "土地储备中心", "水务集团", "燃气公司", "供电公司", "邮政管理局", "通信管理办", "无线电管理处",
    "知识产权局", "信访局", "机关事务管理局", "国有资产管理中心", "金融服务中心", "物价所", "质量技术监督所",
    "药品监督管理所", "食品安全办", "安全生产监察大队", "城乡规划局",
]
OBJECTS = [
    "建筑工程施工", "食品经营", "药品零售", "户外广告设置", "临时占用道路", "城市道路挖掘", "排水",
    "取水", "河道采砂", "林木采伐", "动物防疫条件", "农药经营", "种子生产经营", "渔业捕捞", "娱乐场所经营",
    "网吧经营", "旅行社设立", "出版物零售", "医疗机构执业", "母婴保健技术服务", "放射诊疗", "公共场所卫生",
    "餐饮服务", "特种设备使用", "危险化学品经营", "烟花爆竹经营", "建设工程规划", "建设用地规划",
    "乡村建设规划", "商品房预售", "燃气经营", "道路运输经营", "出租汽车经营", "机动车维修经营",
    "民办学校办学", "社会团体成立", "民办非企业单位成立", "殡葬设施建设", "人力资源服务", "劳务派遣经营",
    "排污", "环境影响评价文件", "辐射安全", "固体废物跨省转移", "消防设计审查", "消防验收", "人防工程",
    "气象探测环境保护", "防雷装置设计审核", "档案出境",
]
KIND_SUFFIX = {
    "licensing": ["许可", "审批", "核准"],
    "confirmation": ["备案", "登记", "确认"],
    "levy": ["费征收"],
    "penalty": ["违法行为处罚"],
    "inspection": ["监督检查"],
    "other": ["年检", "变更"],
}
NODE_SETS = [
    [("review", "初审", 2), ("approve", "审批", 1)],
    [("check", "现场核查", 2), ("review", "审核", 2), ("sign", "签发", 1)],
    [("review", "审查", 3)],
    [("accept_check", "材料审查", 1), ("survey", "实地踏勘", 3), ("meeting", "集体研究", 2), ("sign", "签发", 1)],
]
RISKS = [
    (3, "降低条件审批", "双人复核"), (2, "超时限办理", "电子监察实时预警"), (2, "违规收费", "收费公示、票据核验"),
    (1, "吃拿卡要", "群众评价、视频监控"), (3, "未批先建放任不管", "联合执法巡查"),
]
TOWNSHIPS = [
    "城关镇", "山腰街道", "南埔镇", "界山镇", "后龙镇", "峰尾镇", "前黄镇", "涂岭镇", "东张镇", "西乡镇",
    "北岭镇", "龙门镇", "石狮镇", "白沙镇", "新华镇", "东湖镇", "西湖镇", "凤山镇", "青龙镇", "云台镇",
]


def demo_catalogue(*, departments: int = 74, items: int = 2893, seed: int = 7) -> list[dict[str, Any]]:
    """Power items in the catalogue's upload shape (74 departments, 2,893 items by default)."""
    rng = random.Random(seed)
    out = []
    depts = [(f"D{i + 1:02d}", DEPARTMENTS[i % len(DEPARTMENTS)]) for i in range(departments)]
    kinds = list(KIND_SUFFIX)
    weights = [50, 20, 5, 10, 10, 5]
    for n in range(items):
        dept_code, dept_name = depts[n % departments]
        kind = rng.choices(kinds, weights)[0]
        name = rng.choice(OBJECTS) + rng.choice(KIND_SUFFIX[kind])
        legal = rng.choice([5, 10, 15, 20, 20, 30, 60])
        committed = max(1, min(legal, rng.choice([1, 2, 3, 5, 5, 7, 10, 15])))
        nodes = []
        risky = rng.random() < 0.35
        for i, (code, nname, days) in enumerate(rng.choice(NODE_SETS)):
            node: dict[str, Any] = {"code": code, "name": nname, "days": min(days, committed)}
            if risky and i == 0:
                level, point, measure = rng.choice(RISKS)
                node["risk"] = {"level": level, "point": point, "measure": measure}
                node["post"] = "审批股长"
            nodes.append(node)
        item: dict[str, Any] = {
            "code": f"QG-{dept_code}-{n + 1:04d}",
            "name": name,
            "department": dept_code,
            "department_name": dept_name,
            "kind": kind,
            "legal_days": legal,
            "committed_days": committed,
            "fee_fen": rng.choice([0, 0, 0, 5000, 10000, 20000]),
            "legal_basis": f"《{dept_name}行政许可实施办法》第{rng.randint(3, 40)}条",
            "nodes": nodes,
        }
        if len(nodes) >= 2 and rng.random() < 0.5:
            item["separate_duties"] = [[nodes[0]["code"], nodes[-1]["code"]]]
        out.append(item)
    return out


def demo_offices(count: int = 12) -> list[dict[str, str]]:
    return [
        {"code": f"T{i + 1:02d}", "name": f"{TOWNSHIPS[i % len(TOWNSHIPS)]}便民服务中心", "kind": "township"}
        for i in range(count)
    ]


#: office hours, local: 08:30–12:00 and 14:30–18:00 (how Fujian's service centres open)
OFFICE_HOURS = ((8 * 60 + 30, 12 * 60), (14 * 60 + 30, 18 * 60))
_CALENDAR = WorkCalendar()


def _local_minute(t: Instant) -> int:
    return int(((t + 8 * HOUR) % (24 * HOUR)) // MINUTE)


def in_office_hours(t: Instant) -> bool:
    """Whether ``t`` falls in office hours on a working day (the built-in calendar)."""
    minute = _local_minute(t)
    return _CALENDAR.is_working_day(local_day(t)) and any(a <= minute < b for a, b in OFFICE_HOURS)


def after_office_time(t: Instant, duration: int) -> Instant:
    """The instant ``duration`` of office time after ``t``: nights, weekends and holidays do
    not count, as a clerk's work does not go on then (a node of 12 office hours started on a
    Friday afternoon ends on Tuesday)."""
    left = max(0, duration)
    while True:
        day = local_day(t)
        midnight = t - ((t + 8 * HOUR) % (24 * HOUR))
        if _CALENDAR.is_working_day(day):
            for a, b in OFFICE_HOURS:
                start, end = midnight + a * MINUTE, midnight + b * MINUTE
                if t >= end:
                    continue
                t = max(t, start)
                if t + left <= end:
                    return t + left
                left -= end - t
                t = end
        t = midnight + 24 * HOUR


def office_time_left(t: Instant) -> int:
    """Office time from ``t`` to the end of its local day (none on a day off)."""
    if not _CALENDAR.is_working_day(local_day(t)):
        return 0
    midnight = t - ((t + 8 * HOUR) % (24 * HOUR))
    return sum(max(0, midnight + b * MINUTE - max(t, midnight + a * MINUTE)) for a, b in OFFICE_HOURS)


#: one working day of office time (the two sittings of ``OFFICE_HOURS``)
OFFICE_DAY = sum(b - a for a, b in OFFICE_HOURS) * MINUTE


@dataclass
class _OpenCase:
    case_no: str
    item: dict[str, Any]
    steps: list[tuple[Instant, dict[str, Any]]]


@dataclass
class TownshipSimulator:
    """One office's approval system: emits the records that happened in a time window."""

    office: str
    catalogue: list[dict[str, Any]]
    seed: int = 1
    cases_per_hour: float = 3.0
    violation_rate: float = 0.04
    #: satisfied, basically satisfied, dissatisfied, very poor: relative weights of a rating
    rating_weights: tuple[float, float, float, float] = (70, 20, 7, 3)
    #: the share of cases whose applicant is asked to supplement the file (补正): not one-time
    supplement_rate: float = 0.06
    rng: random.Random = field(init=False)
    _pending: list[tuple[Instant, dict[str, Any]]] = field(default_factory=list)
    _counter: int = 0
    _applicants: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rng = random.Random(f"{self.office}/{self.seed}")

    def _id(self, *parts: object) -> str:
        return str(uuid.uuid5(NS, "/".join(str(p) for p in (self.office, self.seed, *parts))))

    def _applicant(self) -> str:
        if self._applicants and self.rng.random() < 0.05:
            return self.rng.choice(self._applicants)  # the same applicant again: a duplicate case
        value = f"3505{self.rng.randint(10, 99)}19{self.rng.randint(50, 99)}{self.rng.randint(1, 12):02d}" \
                f"{self.rng.randint(1, 28):02d}{self.rng.randint(1000, 9999)}"
        self._applicants.append(value)
        return value

    def _new_case(self, start: Instant) -> None:
        self._counter += 1
        item = self.rng.choice(self.catalogue)
        case_no = f"{self.office}-{self.seed}-{self._counter:06d}"
        rng = self.rng
        staff = [f"{self.office}S{i:02d}" for i in range(1, 31)]
        t = start
        steps: list[tuple[Instant, dict[str, Any]]] = []

        def ev(kind: str, at: Instant, **extra: Any) -> None:
            steps.append((at, {"kind": "approval_event", "id": self._id(case_no, len(steps)), "case_no": case_no,
                               "power_code": item["code"], "type": kind, "at": format_instant(at),
                               "seq": len(steps) + 1, **extra}))

        ev("received", t, actor=rng.choice(staff), applicant_id=self._applicant(), channel="window")
        violation = rng.random() < self.violation_rate
        kind = rng.choice(["late", "skip", "fee", "segregation", "no_reason", "slow_node"]) if violation else ""
        # The case's own pace, in office time. Its clock warns after N − w working days
        # (spec 02: w = ceil(N / 5), at least 1) counted from the day after receipt, so a
        # one-day item must be done the day it came. Most cases finish well inside the time
        # before the warning; one in a hundred runs into the warning days (a reminder, not late).
        committed = max(1, int(item.get("committed_days") or 1))
        before_warning = office_time_left(start) + max(0, committed - max(1, -(-committed // 5))) * OFFICE_DAY
        total = before_warning * (rng.uniform(0.25, 0.85) if rng.random() > 0.01 else rng.uniform(1.0, 1.3))
        t = after_office_time(t, max(5 * MINUTE, int(total * 0.1)))
        if kind == "no_reason":
            ev("not_accepted", t, actor=rng.choice(staff), reason="材料不全", legal_basis="")
            self._pending += steps
            return
        acceptor = rng.choice(staff)
        ev("accepted", t, actor=acceptor)
        last_actor = acceptor
        used = {acceptor}
        nodes = item["nodes"]
        allowance = sum(int(n["days"]) for n in nodes) or 1
        if not kind and rng.random() < self.supplement_rate:
            # The file lacks a paper: the clock stops while the applicant brings it.
            t = after_office_time(t, rng.randint(1, 8) * HOUR)
            ev("suspended", t, actor=acceptor, reason_code="supplement")
            t = after_office_time(t, rng.randint(4, 24) * HOUR)
            ev("resumed", t, actor=acceptor)
        for i, node in enumerate(nodes):
            if kind == "skip" and i == 0 and len(nodes) > 1:
                continue
            days = int(node["days"])
            if kind in ("late", "slow_node") and i == len(nodes) - 1:
                # Overruns its node by half again to twice over.
                spent = days * OFFICE_DAY * rng.uniform(1.5, 3.0)
            else:
                # Inside the node's own limit too (its clock, like the case's, counts whole
                # working days from the day after it started).
                spent = min(total * 0.8 * days / allowance, days * OFFICE_DAY * rng.uniform(0.3, 0.9))
            t = after_office_time(t, max(10 * MINUTE, int(spent)))
            # Each node by another clerk than the ones before (a centre separates duties),
            # except where the case breaks that rule on purpose.
            last_actor = acceptor if kind == "segregation" else rng.choice([s for s in staff if s not in used])
            used.add(last_actor)
            ev("node_completed", t, actor=last_actor, node=node["code"], opinion="同意")
        if item["fee_fen"] or kind == "fee":
            amount = item["fee_fen"] + (5000 if kind == "fee" else 0)
            if amount:
                ev("fee_charged", t + 10 * MINUTE, actor=last_actor, amount_fen=amount)
        t = after_office_time(t, max(5 * MINUTE, int(total * 0.1)))
        ev("decided", t, actor=acceptor if kind == "segregation" else last_actor, result="approved")
        if rng.random() < 0.4:
            rating = rng.choices(["satisfied", "basically_satisfied", "dissatisfied", "very_poor"],
                                 self.rating_weights)[0]
            rated = after_office_time(t, rng.randint(1, 16) * HOUR // 2)
            steps.append((rated, {"kind": "evaluation", "id": self._id(case_no, "rating"), "case_no": case_no,
                                     "rating": rating, "at": format_instant(rated),
                                     "comment": "办事效率高" if rating == "satisfied" else "等待时间长"}))
        self._pending += steps

    def records_between(self, start: Instant, end: Instant) -> list[dict[str, Any]]:
        """Records with ``start < at ≤ end``; new cases arrive in office hours on working days."""
        t = start
        while t < end:
            span = min(HOUR, end - t)
            if in_office_hours(t):
                expected = self.cases_per_hour * span / HOUR
                for _ in range(self._poisson(expected)):
                    self._new_case(t + self.rng.randint(0, max(0, span // MINUTE - 1)) * MINUTE)
            t += span
        due = sorted((x for x in self._pending if x[0] <= end), key=lambda x: x[0])
        self._pending = [x for x in self._pending if x[0] > end]
        return [rec for _, rec in due]

    def _poisson(self, lam: float) -> int:
        # Knuth's method is fine for the small rates of one office.
        import math

        limit, k, p = math.exp(-lam), 0, 1.0
        while True:
            p *= self.rng.random()
            if p <= limit:
                return k
            k += 1


def bulk_events(n_cases: int, *, office: str = "T01", power_code: str = "QG-D07-001",
                start: Instant = 0, seed: int = 3) -> Iterator[dict[str, Any]]:
    """A stream of ordinary approval events (received, accepted, two nodes, decided) for benchmarks."""
    rng = random.Random(seed)
    for n in range(n_cases):
        case_no = f"B{seed}-{n:08d}"
        t = start + rng.randint(0, 8 * HOUR)
        for i, (kind, extra) in enumerate((
            ("received", {"applicant_id": f"ID{seed}{n:010d}"}),
            ("accepted", {}),
            ("node_completed", {"node": "review"}),
            ("node_completed", {"node": "approve"}),
            ("decided", {"result": "approved"}),
        )):
            t += rng.randint(10, 120) * MINUTE
            yield {"kind": "approval_event", "id": str(uuid.uuid5(NS, f"bulk/{seed}/{n}/{i}")), "case_no": case_no,
                   "power_code": power_code, "type": kind, "at": format_instant(t), "seq": i + 1,
                   "actor": f"{office}S{(n + i) % 7:02d}", **extra}
