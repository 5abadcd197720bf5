"""A seeded synthetic registry that looks like a real one grown large, for benchmarks and tests.

`write_synthetic(root, n, seed)` writes `root/registry/<type>/<id>.yaml` and nothing else; the
caller provides `root/schemas`. The same seed gives byte-identical files. Every record is valid:
schema, references, clause and decision numbers, date order, deadlines that follow extensions,
the fields each state requires. Texts are Chinese, composed from a small vocabulary; numbers are
kept short so that nothing resembles a mobile or an ID-card number.

    python -m benchmarks.synthetic ROOT N [--seed S]   # also copies the repository's schemas/
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import re
import shutil
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from liandong.repo import REGISTRY_DIR, SCHEMAS_DIR

REPO_SCHEMAS = Path(__file__).resolve().parents[1] / SCHEMAS_DIR
MIN_RECORDS = 100
TYPES = ("organizations", "documents", "mechanisms", "meetings", "reviews", "inspections", "pushes", "powers", "tasks", "coordination")

# ---------------------------------------------------------------------------------------------
# Vocabulary

TOPICS = [
    "边民互市贸易",
    "跨境电商",
    "口岸通关便利化",
    "跨境劳务合作",
    "边境旅游",
    "园区基础设施建设",
    "产业项目落地",
    "土地征收",
    "规划审批",
    "建设工程审批",
    "市场主体登记",
    "跨境金融",
    "人民币跨境结算",
    "生态环境保护",
    "安全生产监管",
    "招商引资",
    "财政资金拨付",
    "公共服务配套",
    "交通路网建设",
    "供水供电保障",
    "边贸商品落地加工",
    "冷链物流",
    "政务服务一体化",
    "数据共享",
    "综合执法协作",
    "人才引进",
    "应急联动",
    "重大项目用地保障",
]
VERBS = ["推进", "落实", "完善", "统筹", "协调", "加快", "规范", "优化", "深化", "建立健全"]
OBJECTS = ["工作机制", "实施方案", "配套政策", "审批流程", "监管制度", "服务事项", "项目清单", "台账管理", "考核办法", "信息共享机制"]
PROBLEMS = [
    "用地指标",
    "用电报装",
    "用水接入",
    "施工许可办理",
    "环评审批",
    "跨境结算",
    "通关时效",
    "道路配套",
    "用工招聘",
    "融资需求",
    "消防验收",
    "规划调整",
    "厂房租赁",
    "排污许可",
]
INDUSTRIES = ["贸易", "物流", "食品加工", "建材", "红木家具", "跨境电子商务", "旅游开发", "供应链管理", "水产品加工", "仓储"]
PROJECT_KINDS = ["产业园", "物流中心", "加工基地", "综合服务中心", "安置区", "道路工程"]

# (place, short form, level, parent key) for departments generated beyond the fixed organisations
PLACES = [("东兴市", "东兴", "county", "dongxing"), ("防城港市", "防城港", "prefecture", "fcg"), ("东兴试验区", "试验区", "zone", "zone")]
DEPARTMENTS = [
    "发展和改革局",
    "商务局",
    "财政局",
    "自然资源局",
    "住房和城乡建设局",
    "交通运输局",
    "生态环境局",
    "市场监督管理局",
    "应急管理局",
    "人力资源和社会保障局",
    "农业农村局",
    "水利局",
    "文化广电体育和旅游局",
    "卫生健康委员会",
    "教育局",
    "公安局",
    "司法局",
    "审计局",
    "统计局",
    "行政审批局",
    "大数据发展局",
    "投资促进局",
    "口岸管理办公室",
    "综合行政执法局",
    "林业局",
    "工业和信息化局",
]
OFFICES = ["综合科", "政策法规科", "审批服务科", "规划科", "项目管理科", "监督检查科", "财务科", "办公室"]
COMPANIES = ["投资集团有限公司", "城市建设投资有限公司", "口岸投资有限公司", "供水有限公司", "产业园区开发有限公司"]

DOC_TITLES = [
    ("关于支持东兴试验区与东兴市跨合区协同发展的实施意见", "opinion", "防政发"),
    ("东兴试验区与东兴市跨合区协同工作实施方案", "notice", "东政办发"),
]
LAWS = [
    "《中华人民共和国行政许可法》",
    "《中华人民共和国行政处罚法》",
    "《中华人民共和国城乡规划法》",
    "《中华人民共和国食品安全法》",
    "《中华人民共和国道路运输条例》",
    "《边民互市贸易管理办法》",
    "《广西壮族自治区优化营商环境条例》",
    "《中华人民共和国安全生产法》",
    "《中华人民共和国环境保护法》",
    "《中华人民共和国建筑法》",
]
POWER_OBJECTS = [
    "边民互市贸易经营者",
    "建设工程规划",
    "临时占用道路",
    "户外广告设施设置",
    "食品经营",
    "道路运输经营",
    "城镇污水排入排水管网",
    "建筑工程施工",
    "林木采伐",
    "取水",
    "特种设备使用",
    "危险化学品经营",
    "药品零售",
    "旅行社设立",
    "公共场所卫生",
    "人力资源服务",
    "劳务派遣经营",
    "企业投资项目",
    "农药经营",
    "种子生产经营",
    "水产苗种生产",
    "民办学校办学",
    "医疗机构执业",
    "出入境货物运输车辆",
]
# category: (code prefix, title patterns)
POWER_CATEGORIES = {
    "licensing": ("XK", ["{obj}许可", "{obj}审批", "{obj}核准"]),
    "penalty": ("CF", ["对{obj}违法行为的行政处罚"]),
    "coercion": ("QZ", ["对{obj}违法物品的查封、扣押"]),
    "levy": ("ZS", ["{obj}相关费用征收"]),
    "payment": ("JF", ["{obj}补助资金发放"]),
    "inspection": ("JC", ["对{obj}的监督检查"]),
    "confirmation": ("QR", ["{obj}登记", "{obj}备案"]),
    "reward": ("JL", ["{obj}先进单位表彰"]),
    "adjudication": ("CJ", ["{obj}争议裁决"]),
    "other_power": ("QT", ["{obj}情况证明出具"]),
    "public_service": ("GG", ["{obj}政策咨询", "{obj}信息查询"]),
}
POWER_WEIGHTS = {
    "licensing": 30,
    "penalty": 20,
    "inspection": 12,
    "confirmation": 10,
    "public_service": 10,
    "coercion": 4,
    "levy": 3,
    "payment": 3,
    "reward": 2,
    "adjudication": 2,
    "other_power": 4,
}
MATERIALS = [
    "申请表",
    "营业执照复印件",
    "法定代表人身份证明",
    "授权委托书",
    "项目可行性研究报告",
    "建设用地规划许可证",
    "施工图设计文件审查合格书",
    "环境影响评价文件",
    "场地使用证明",
    "安全生产管理制度",
    "从业人员资格证明",
    "设备清单",
    "消防验收意见",
    "信用承诺书",
]
MECH_KINDS = {
    "joint_meeting": "联席会议",
    "coordination_meeting": "会商会议",
    "joint_review": "集中审理会议",
    "joint_inspection": "联合检查",
    "information_push": "信息推送机制",
    "approval_window": "前台受理后台审批机制",
    "fund_pool": "资金归集机制",
}
MEASURES = [
    ("联合图审", "none"),
    ("缺席默认", "absent_deemed_consent"),
    ("超时默认", "timeout_deemed_consent"),
    ("容缺预审", "conditional_intake"),
    ("集中会审", "none"),
    ("限时办结", "none"),
]
# A joint-review mechanism's measures (集中审理, 三(三)2): the ones reviews apply have codes, the others are its rules.
REVIEW_MEASURES = [
    {"name": "多规合一（多测合一）", "code": "multi-plan"},
    {"name": "整体评勘", "code": "overall-survey"},
    {"name": "联合图审", "code": "joint-drawing-review"},
    {"name": "统一验收", "code": "unified-acceptance"},
    {"name": "缺席默认", "rule": "absent_deemed_consent"},
    {"name": "超时默认", "rule": "timeout_deemed_consent"},
    {"name": "容缺预审", "rule": "conditional_intake"},
]
CONDITIONS = ["完善消防设计说明。", "补充日照分析。", "按规范预留消防车通道。", "补充雨污分流设计。", "开展安全评价后再施工。"]
REFUSALS = ["用地性质与规划不符，需调整规划条件后重新报审。", "结构设计未按抗震设防要求计算，需修改后重新送审。", "环境影响评价尚未批复。"]
HOLDERS = ["东兴试验区管委会常务副主任", "东兴市人民政府分管副市长", "东兴试验区工管委办公室主任", "东兴市人民政府办公室主任", "防城港市人民政府副秘书长"]
PLACES_MEET = ["东兴试验区管委会第一会议室", "东兴市人民政府三楼会议室", "跨合区综合服务中心会商室", "东兴市行政中心二号会议室"]
ABSENCE = ["公务外出", "参加上级会议", "另有紧急工作"]
TIMES = ["08:30", "09:00", "09:30", "10:00", "14:30", "15:00", "15:30", "16:00"]

CN_DIGITS = "零一二三四五六七八九"


def cn(n: int) -> str:
    """1..99 in Chinese numerals, as clause and article numbers are written: 十二, 二十, 三十五."""
    if not 1 <= n <= 99:
        raise ValueError(n)
    tens, ones = divmod(n, 10)
    return ("" if tens == 0 else ("十" if tens == 1 else CN_DIGITS[tens] + "十")) + (CN_DIGITS[ones] if ones else "")


# ---------------------------------------------------------------------------------------------
# YAML writing: block style as people write it by hand; quotes only where our loader would
# otherwise read another type or YAML another structure.

_TYPED = re.compile(r"^(?:true|false|null|~|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+(?:[eE][-+]?[0-9]+)?)?)$")
_INDICATORS = set("-?:,[]{}#&*!|>'\"%@` ")


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if not isinstance(value, str) or not value:
        raise TypeError(f"cannot write {value!r}")
    plain = (
        value[0] not in _INDICATORS
        and value == value.strip()
        and "\n" not in value
        and "\t" not in value
        and ": " not in value
        and " #" not in value
        and not value.endswith(":")
        and not _TYPED.match(value)
    )
    return value if plain else json.dumps(value, ensure_ascii=False)


def _lines(data: dict[str, Any], indent: int) -> list[str]:
    pad = " " * indent
    out: list[str] = []
    for key, value in data.items():
        if isinstance(value, dict):
            out.append(f"{pad}{key}:")
            out.extend(_lines(value, indent + 2))
        elif isinstance(value, list):
            if not value:
                raise ValueError(f"empty list for {key}")
            out.append(f"{pad}{key}:")
            for item in value:
                if isinstance(item, dict):
                    inner = _lines(item, indent + 4)
                    out.append(f"{pad}  - {inner[0][indent + 4 :]}")
                    out.extend(inner[1:])
                else:
                    out.append(f"{pad}  - {_scalar(item)}")
        elif isinstance(value, str) and "\n" in value:
            out.append(f"{pad}{key}: |-")
            out.extend(f"{pad}  {line}" if line else "" for line in value.split("\n"))
        else:
            out.append(f"{pad}{key}: {_scalar(value)}")
    return out


def record_text(type_name: str, data: dict[str, Any]) -> str:
    header = f"# yaml-language-server: $schema=../../schemas/{type_name}.schema.json"
    return "\n".join([header, *_lines(data, 0)]) + "\n"


# Anything that could be taken for a mobile or an ID-card number (publish.py looks for these).
_LONG_DIGITS = re.compile(r"\d{11}|\d{3}[ -]\d{4}[ -]\d{4}")

# ---------------------------------------------------------------------------------------------
# The generator


@dataclass
class _Org:
    id: str
    title: str
    short: str
    level: str
    kind: str


@dataclass
class _Meeting:
    id: str
    date: datetime.date
    status: str
    public: bool
    decisions: list[int] = field(default_factory=list)


def plan(n_records: int) -> dict[str, int]:
    """How many records of each type a registry of `n_records` has."""
    if n_records < MIN_RECORDS:
        raise ValueError(f"n_records must be at least {MIN_RECORDS}")
    counts = {
        "organizations": max(12, round(n_records * 0.03)),
        "documents": max(2, n_records // 2500),
        "mechanisms": max(4, round(n_records * 0.01)),
        "meetings": round(n_records * 0.10),
        "reviews": round(n_records * 0.02),
        "inspections": round(n_records * 0.02),
        "pushes": round(n_records * 0.02),
        "powers": round(n_records * 0.15),
        "tasks": round(n_records * 0.50),
    }
    counts["coordination"] = n_records - sum(counts.values())
    return {t: counts[t] for t in TYPES}


class _Builder:
    START = datetime.date(2023, 1, 1)

    def __init__(self, n_records: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.plan = plan(n_records)
        self.records: list[tuple[str, dict[str, Any]]] = []
        self.orgs: list[_Org] = []
        self.fixed: dict[str, _Org] = {}
        self.workers: list[_Org] = []  # departments and offices that lead and cooperate
        self.escalation_targets: list[_Org] = []
        self.clauses: list[tuple[str, str]] = []  # (document id, clause number) that tasks may cite
        self.doc_ids: list[str] = []
        self.mechanisms: list[tuple[str, str, bool]] = []  # (id, title, public)
        self.review_mechanisms: list[tuple[str, bool, list[str]]] = []  # (id, public, measure codes)
        self.inspection_mechanism: tuple[str, bool] = ("", True)  # (id, public) of mechanism 3, joint_inspection
        self.push_mechanism: tuple[str, bool] = ("", True)  # (id, public) of mechanism 4, information_push
        self.inspections: list[tuple[str, dict[str, Any]]] = []
        self.meetings: list[_Meeting] = []

    # -- helpers -----------------------------------------------------------------------------
    def _id(self, type_name: str, prefix: str, i: int) -> str:
        return f"{prefix}-{i:0{max(4, len(str(self.plan[type_name])))}d}"

    def day(self, start: datetime.date, lo: int, hi: int) -> datetime.date:
        return start + datetime.timedelta(days=self.rng.randint(lo, hi))

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def visibility(self, *refs_public: bool) -> str:
        """Mostly public; internal when it cites an internal record, so public records never do."""
        internal = self.chance(0.08)
        return "internal" if internal or not all(refs_public) else "public"

    def phrase(self) -> str:
        return f"{self.rng.choice(VERBS)}{self.rng.choice(TOPICS)}{self.rng.choice(OBJECTS)}"

    def sentence(self, parts: int = 2) -> str:
        return "，".join(self.phrase() for _ in range(parts)) + "。"

    def text(self, lo: int = 1, hi: int = 3) -> str:
        return "".join(self.sentence(self.rng.randint(1, 3)) for _ in range(self.rng.randint(lo, hi)))

    def pick_orgs(self, k: int) -> list[_Org]:
        return self.rng.sample(self.workers, min(k, len(self.workers)))

    def dates_between(self, start: datetime.date, end: datetime.date, k: int) -> list[datetime.date]:
        span = max(0, (end - start).days)
        return sorted(start + datetime.timedelta(days=self.rng.randint(0, span)) for _ in range(k))

    def clause_ref(self) -> dict[str, str]:
        document, clause = self.rng.choice(self.clauses)
        return {"document": document, "clause": clause}

    def notes(self, data: dict[str, Any], p: float = 0.08) -> None:
        if self.chance(p):
            items = [f"- {self.sentence(1)}" for _ in range(self.rng.randint(2, 3))]
            data["notes"] = "\n".join([self.sentence(1), "", *items])

    def add(self, type_name: str, data: dict[str, Any]) -> None:
        self.records.append((type_name, data))

    # -- organizations -----------------------------------------------------------------------
    def make_organizations(self) -> None:
        fixed = [  # key, title, short name, level, kind, parent key
            ("gx", "广西壮族自治区人民政府", "自治区人民政府", "region", "government", None),
            ("gx-commerce", "广西壮族自治区商务厅", "自治区商务厅", "region", "department", "gx"),
            ("fcg", "防城港市人民政府", "防城港市政府", "prefecture", "government", "gx"),
            ("fcg-party", "中共防城港市委员会", "防城港市委", "prefecture", "party_committee", None),
            ("dongxing", "东兴市人民政府", "东兴市政府", "county", "government", "fcg"),
            ("zone", "广西东兴国家重点开发开放试验区管理委员会", "东兴试验区管委会", "zone", "management_committee", "fcg"),
            ("office", "东兴试验区工作委员会管理委员会办公室", "东兴试验区工管委办公室", "zone", "internal_office", "zone"),
            ("window", "跨合区综合服务窗口", "综合服务窗口", "zone", "service_window", "zone"),
            ("center", "东兴市政务服务中心", "东兴市政务服务中心", "county", "service_center", "dongxing"),
        ]
        pending: list[tuple[str, str, str, str, str | None]] = [(t, s, lv, k, p) for _, t, s, lv, k, p in fixed]
        keys = [key for key, *_ in fixed]
        departments = [(place, short, level, parent, dept) for place, short, level, parent in PLACES for dept in DEPARTMENTS]
        self.rng.shuffle(departments)
        offices: list[tuple[int, str]] = []  # (index of the department in `pending`, office name)
        total = self.plan["organizations"]
        company_no = 0
        while len(pending) < total:
            roll = self.rng.random()
            if roll < 0.12 and company_no < len(COMPANIES):
                name = COMPANIES[company_no]
                company_no += 1
                kind = "utility" if "供水" in name else "company"
                pending.append((f"东兴{name}", f"东兴{name[:4]}", "none", kind, "dongxing"))
            elif departments and (roll < 0.75 or not offices):
                place, short, level, parent, dept = departments.pop()
                index = len(pending)
                pending.append((f"{place}{dept}", f"{short}{dept}", level, "department", parent))
                offices.extend((index, office) for office in OFFICES)
            elif offices:
                index, office = offices.pop(self.rng.randrange(len(offices)))
                title, short, level, _, _ = pending[index]
                pending.append((f"{title}{office}", f"{short}{office}", level, "internal_office", f"#{index}"))
            else:  # every combination used: working groups, named by number
                n = len(pending)
                pending.append((f"东兴试验区第{cn(n % 99 + 1)}工作专班（{n}）", f"工作专班{n}", "zone", "collective", "zone"))
        for i, (title, short, level, kind, parent) in enumerate(pending, start=1):
            org_id = self._id("organizations", "org", i)
            org = _Org(org_id, title, short, level, kind)
            self.orgs.append(org)
            if i <= len(keys):
                self.fixed[keys[i - 1]] = org
            data: dict[str, Any] = {"id": org_id, "title": title, "status": "active", "visibility": "public"}
            if i > len(keys) and self.chance(0.03):
                data["status"] = self.rng.choice(["merged", "dissolved"])
            data["short_name"] = short
            if kind == "management_committee":
                data["other_names"] = [{"name": "东兴试验区工管委", "kind": "abbreviation"}, {"name": "东兴国家重点开发开放试验区管委会", "kind": "former"}]
            data["level"], data["kind"] = level, kind
            if parent is not None:
                data["parent"] = [self.orgs[int(parent[1:])].id if parent.startswith("#") else self.fixed[parent].id]
            if kind in ("government", "department") and level == "county":
                data["region_code"] = "450681"
            elif kind in ("government", "department") and level == "prefecture":
                data["region_code"] = "450600"
            if kind in ("company", "utility", "government", "department", "management_committee"):
                data["uscc"] = self.uscc(kind)
            data["reviewer_team"] = f"@liandong/{org_id}"
            self.add("organizations", data)
            if kind in ("department", "internal_office", "collective"):
                self.workers.append(org)
        self.workers.extend(org for org in (self.fixed["zone"], self.fixed["center"]) if org not in self.workers)
        self.escalation_targets = [self.fixed["gx"], self.fixed["gx-commerce"], self.fixed["fcg"], self.fixed["fcg-party"]]

    def uscc(self, kind: str) -> str:
        from liandong.validation.rules.codes import USCC_CHARSET, uscc_check_char

        letters = "ABCDEFGHJKLMNPQRTUWXY"
        head = ("91" if kind in ("company", "utility") else "11") + "450681"
        # a letter every few places: no long digit run, nothing like a phone or ID number
        body = "MA" + "".join(self.rng.choice(letters if i % 3 == 0 else USCC_CHARSET[:10]) for i in range(7))
        return head + body + uscc_check_char(head + body)

    # -- documents ---------------------------------------------------------------------------
    def make_documents(self) -> None:
        for i in range(1, self.plan["documents"] + 1):
            doc_id = self._id("documents", "doc", i)
            if i <= len(DOC_TITLES):
                title, doc_type, code = DOC_TITLES[i - 1]
            else:
                title = f"关于{self.rng.choice(VERBS)}{self.rng.choice(TOPICS)}{self.rng.choice(OBJECTS)}的通知"
                doc_type, code = "notice", "东政办发"
            issued = self.day(datetime.date(2022, 3, 1), 0, 300) if i == 1 else self.day(datetime.date(2022, 9, 1), 0, 120)
            data: dict[str, Any] = {
                "id": doc_id,
                "title": title,
                "status": "issued",
                "visibility": "public",
                "doc_number": f"{code}〔{issued.year}〕{self.rng.randint(1, 99)}号",
                "doc_type": doc_type,
                "issuers": [self.fixed["fcg" if i == 1 else "dongxing"].id],
                "date": issued.isoformat(),
                "publicity": "proactive",
            }
            if i > 1:
                data["implements"] = self.doc_ids[0]
                data["issuers"].append(self.fixed["zone"].id)
            data["url"] = f"https://example.org/zcwj/{issued.year}/{doc_id}.html"  # reserved domain: not real documents
            clauses = []
            for chapter in range(1, 7):
                number = cn(chapter)
                clauses.append({"number": number, "heading": f"{self.rng.choice(VERBS)}{self.rng.choice(TOPICS)}"})
                for section in range(1, self.rng.randint(1, 3) + 1):
                    sub = f"{number}({cn(section)})"
                    clauses.append({"number": sub, "heading": self.phrase(), "text": self.sentence(2)})
                    self.clauses.append((doc_id, sub))
                    for item in range(1, self.rng.randint(0, 2) + 1):
                        clauses.append({"number": f"{sub}{item}", "heading": self.phrase(), "text": self.sentence(2)})
                        self.clauses.append((doc_id, f"{sub}{item}"))
            data["clauses"] = clauses
            self.doc_ids.append(doc_id)
            self.add("documents", data)

    def make_organization_sources(self) -> None:
        """Second names and the clauses that mention an organisation: these cite documents, so they come after them."""
        for type_name, data in self.records:
            if type_name != "organizations":
                continue
            if data["kind"] == "department" and self.chance(0.25):
                data["other_names"] = [{"name": f"{self.rng.choice(TOPICS)}工作领导小组办公室", "kind": "second_plate", "source": self.clause_ref()}]
            if self.chance(0.6):
                data["sources"] = [self.clause_ref() for _ in range(self.rng.randint(1, 2))]
                if len(data["sources"]) == 2 and data["sources"][0] == data["sources"][1]:
                    data["sources"].pop()
            self.notes(data, 0.15)

    # -- mechanisms --------------------------------------------------------------------------
    def make_mechanisms(self) -> None:
        kinds = list(MECH_KINDS)
        for i in range(1, self.plan["mechanisms"] + 1):
            mech_id = self._id("mechanisms", "mech", i)
            # the first two kinds are fixed, so every registry has a 联席会议 and a 集中审理 mechanism
            kind = kinds[0] if i == 1 else "joint_review" if i == 2 else self.rng.choices(kinds, weights=[30, 30, 12, 10, 6, 8, 4])[0]
            kind = {3: "joint_inspection", 4: "information_push"}.get(i, kind)  # and a 联合检查 and a 信息推送 mechanism (三(一)3)
            started = self.day(datetime.date(2022, 10, 1), 0, 90)
            members = self.pick_orgs(self.rng.randint(3, 6))
            data: dict[str, Any] = {
                "id": mech_id,
                "title": f"跨合区{self.rng.choice(TOPICS)}{MECH_KINDS[kind]}",
                "status": self.rng.choices(["active", "established", "suspended"], weights=[85, 10, 5])[0],
                "visibility": self.visibility(),
                "kind": kind,
                "source": self.clause_ref(),
                "purpose": self.sentence(3),
                "posts": [
                    {"role": "召集人", "holder": HOLDERS[0], "organization": self.fixed["zone"].id},
                    {"role": "副召集人", "holder": HOLDERS[1], "concurrently": "东兴市人民政府党组成员兼任", "organization": self.fixed["dongxing"].id},
                ],
                "members": [{"organization": org.id, "holder": "主要负责人"} for org in members],
                "lead": [self.fixed["zone"].id],
                "secretariat": [self.fixed["office"].id],
            }
            if kind in ("joint_meeting", "coordination_meeting", "joint_review"):
                data["cadence"] = {"every": self.rng.choice(["month", "quarter", "half_year"]), "times": 1}
            data["started"] = started.isoformat()
            data["measures"] = [{"name": name, "rule": rule, "text": self.sentence(1)} for name, rule in self.rng.sample(MEASURES, self.rng.randint(1, 2))]
            if kind == "joint_review":
                data["measures"] = [dict(m) for m in REVIEW_MEASURES]
                codes = [m["code"] for m in REVIEW_MEASURES if "code" in m]
                self.review_mechanisms.append((mech_id, data["visibility"] == "public", codes))
            if kind == "joint_inspection" and i == 3:
                self.inspection_mechanism = (mech_id, data["visibility"] == "public")
                if self.chance(0.5):  # a rule stated with its source, so the site checks it
                    data["inspection_rules"] = {"source": self.clause_ref(), "weeks": {"every": "quarter", "times": 1}, "separate_window_days": 30}
            if kind == "information_push" and i == 4:
                self.push_mechanism = (mech_id, data["visibility"] == "public")
            self.notes(data)
            self.mechanisms.append((mech_id, data["title"], data["visibility"] == "public"))
            self.add("mechanisms", data)

    # -- meetings ----------------------------------------------------------------------------
    def make_meetings(self) -> None:
        drafts = []
        for i in range(self.plan["meetings"]):
            status = "minutes_issued" if i == 0 else self.rng.choices(["minutes_issued", "held", "planned", "cancelled"], weights=[76, 10, 10, 4])[0]
            date = self.day(self.START, 0, 900) if status != "planned" else self.day(datetime.date(2025, 7, 1), 0, 150)
            drafts.append((date, self.rng.randrange(len(self.mechanisms)), status))
        drafts.sort()  # ids in date order, as they would be created
        sessions: Counter[tuple[int, int]] = Counter()
        for i, (date, mech_index, status) in enumerate(drafts, start=1):
            mtg_id = self._id("meetings", "mtg", i)
            sessions[(mech_index, date.year)] += 1
            session = f"{date.year}年第{sessions[(mech_index, date.year)]}次"
            attendees = self.pick_orgs(self.rng.randint(4, 8))
            mech_id, mech_title, mech_public = self.mechanisms[mech_index]
            data: dict[str, Any] = {
                "id": mtg_id,
                "title": f"{session}{mech_title}",
                "status": status,
                "visibility": self.visibility(mech_public),
                "mechanism": mech_id,
                "session": session,
                "date": date.isoformat(),
                "start_time": self.rng.choice(TIMES),
                "place": self.rng.choice(PLACES_MEET),
                "chair": {"holder": self.rng.choice(HOLDERS[:3]), "organization": self.fixed["zone"].id},
            }
            meeting = _Meeting(mtg_id, date, status, data["visibility"] == "public")
            if status in ("held", "minutes_issued"):
                data["attendees"] = [org.id for org in attendees[:-1]]
                if self.chance(0.3):
                    data["absentees"] = [{"organization": attendees[-1].id, "reason": self.rng.choice(ABSENCE)}]
            data["agenda"] = [f"{self.rng.choice(['研究', '听取', '审议'])}{self.rng.choice(TOPICS)}有关事项" for _ in range(self.rng.randint(2, 4))]
            if status == "minutes_issued":
                issued = self.day(date, 1, 14)
                data["minutes"] = {
                    "number": f"第{sessions[(mech_index, date.year)]}期",
                    "issued": issued.isoformat(),
                    "distributed_to": [org.id for org in attendees[:3]],
                }
                decisions = []
                for number in range(1, self.rng.randint(2, 6) + 1):
                    lead, coop = attendees[number % len(attendees)], attendees[(number + 1) % len(attendees)]
                    decision: dict[str, Any] = {
                        "number": number,
                        "text": f"{self.phrase()}，由{lead.short}牵头、{coop.short}配合，{self.rng.randint(1, 12)}月底前完成。",
                    }
                    if self.chance(0.08):
                        decision["report_to"] = [self.rng.choice(self.escalation_targets).id]
                    decisions.append(decision)
                    meeting.decisions.append(number)
                data["decisions"] = decisions
            self.notes(data, 0.05)
            self.meetings.append(meeting)
            self.add("meetings", data)

    # -- reviews (集中审理) ---------------------------------------------------------------------
    def make_reviews(self) -> None:
        """Joint reviews whose every deemed consent has its proof of notice, whose decisions come after
        every 容缺 material, and whose working-day limits stay inside the years the calendar knows."""
        for i in range(1, self.plan["reviews"] + 1):
            review_id = self._id("reviews", "review", i)
            mech_id, mech_public, codes = self.rng.choice(self.review_mechanisms)
            status = self.rng.choices(["decided", "in_review", "withdrawn"], weights=[50, 40, 10])[0]
            notice = self.day(self.START, 0, 880)
            industry, kind = self.rng.choice(INDUSTRIES), self.rng.choice(PROJECT_KINDS)
            project = f"{self.rng.choice(['东兴试验区', '跨合区', '江平镇'])}某{industry}{kind}项目"
            applicant: dict[str, Any] = {"name": f"东兴某{industry}有限公司"}
            if self.chance(0.5):
                applicant["uscc"] = self.uscc("company")
            measures = sorted(self.rng.sample(codes, self.rng.randint(1, 2)))
            data: dict[str, Any] = {
                "id": review_id,
                "title": f"{project}{self.rng.choice(['联合图审', '整体评勘', '统一验收', '多规合一审查'])}",
                "status": status,
                "visibility": self.visibility(mech_public),
                "mechanism": mech_id,
                "project": {"name": project, "location": self.rng.choice(["跨合区某片区", "东兴试验区某地块", "江平镇某地块"]), "applicant": applicant},
                "measures": measures,
                "convener": self.fixed["zone"].id,
            }
            written: dict[str, Any] = {"date": notice.isoformat(), "number": f"跨合区集审〔{notice.year}〕{i}号"}
            meeting = self.day(notice, 3, 10) if self.chance(0.7) else None
            if meeting is not None:
                written["meeting_date"] = meeting.isoformat()
                written["place"] = self.rng.choice(PLACES_MEET)
            if self.chance(0.8):
                written["limit"] = {"count": self.rng.choice([3, 5, 7, 10]), "unit": "working_day" if self.chance(0.85) else "day"}
            data["notice"] = written
            decided = self.day(notice, 20, 90) if status == "decided" else None
            departments = []
            for org in self.pick_orgs(self.rng.randint(2, 5)):
                entry: dict[str, Any] = {"organization": org.id}
                if self.chance(0.85):
                    entry["signed"] = self.day(notice, 0, 2).isoformat()
                elif status != "in_review" or self.chance(0.8):  # decided and withdrawn ones always have proof of notice
                    entry["delivery"] = {
                        "method": self.rng.choice(["oa", "in_person", "post", "email"]),
                        "evidence": f"送达回执 HZ-{self.rng.randint(1, 9999):04d}",
                    }
                proven = "signed" in entry or "delivery" in entry
                if meeting is not None:
                    entry["attendance"] = self.rng.choices(["present", "absent", "written"], weights=[70, 15, 15])[0] if proven else "present"
                if entry.get("attendance") != "absent" and self.chance(0.8):
                    answered = self.day(notice, 1, 12)
                    if decided is not None:
                        answered = min(answered, decided)
                    opinion = self.rng.choices(["agree", "conditional", "disagree"], weights=[70, 20, 10])[0]
                    answer: dict[str, Any] = {"date": answered.isoformat(), "opinion": opinion}
                    if opinion == "conditional":
                        answer["conditions"] = "".join(self.rng.sample(CONDITIONS, self.rng.randint(1, 2)))
                    elif opinion == "disagree":
                        answer["reasons"] = self.rng.choice(REFUSALS)
                    entry["answer"] = answer
                departments.append(entry)
            data["departments"] = departments
            if self.chance(0.4):
                accepted = self.day(notice, -5, 0)
                missing = []
                for name in self.rng.sample(MATERIALS, self.rng.randint(1, 2)):
                    material: dict[str, Any] = {"name": name, "essential": False, "promised": self.day(accepted, 10, 40).isoformat()}
                    if decided is not None:  # supplied before the decision, always
                        material["supplied"] = self.day(accepted, 1, max(1, (decided - accepted).days)).isoformat()
                    elif self.chance(0.6):
                        material["supplied"] = self.day(accepted, 1, 50).isoformat()
                    missing.append(material)
                data["intake"] = {"accepted": accepted.isoformat(), "missing": missing}
            if decided is not None:
                outcome = self.rng.choices(["pass", "conditional_pass", "fail"], weights=[60, 30, 10])[0]
                data["decision"] = {"date": decided.isoformat(), "outcome": outcome, "text": self.sentence(1)}
            if status == "withdrawn":
                data["withdrawal"] = {"date": self.day(notice, 5, 40).isoformat(), "reason": "建设单位调整建设方案，书面申请撤回。"}
            self.notes(data, 0.05)
            self.add("reviews", data)

    # -- inspections (联合检查、检查周) and pushes (信息推送), 三(一)3 --------------------------------
    def _checking_departments(self) -> list[_Org]:
        """Departments of 防城港市 and 东兴市 (the levels that inspect, and that push and receive)."""
        found = [org for org in self.workers if org.kind == "department" and org.level in ("county", "prefecture")]
        return found or [self.fixed["dongxing"], self.fixed["fcg"]]

    def make_inspections(self) -> None:
        """Applications, the arrangements that arrange them (an arranged application is listed by exactly
        one live arrangement; a cancelled one's go back to 已申报), and separate inspections, some of one
        enterprise by several departments. Every date lies before 2025-07, so nothing is in the future."""
        mech_id, mech_public = self.inspection_mechanism
        departments = self._checking_departments()
        pool = []  # the enterprises inspected: some with a code, some by name only
        for k in range(1, max(8, self.plan["inspections"] // 4) + 1):
            enterprise: dict[str, Any] = {"name": f"{self.rng.choice(['东兴', '江平', '东兴试验区'])}某{self.rng.choice(INDUSTRIES)}有限公司{k}"}
            if self.chance(0.5):
                enterprise["uscc"] = self.uscc("company")
            pool.append(enterprise)
        pending: list[dict[str, Any]] = []  # applications not arranged yet, as written
        for i in range(1, self.plan["inspections"] + 1):
            insp_id = self._id("inspections", "insp", i)
            kind = self.rng.choices(["application", "arrangement", "separate"], weights=[55, 25, 20])[0]
            if kind == "arrangement" and not pending:
                kind = "application"
            data: dict[str, Any] = {"id": insp_id, "title": "", "status": "", "visibility": "public", "kind": kind, "mechanism": mech_id}
            if kind == "arrangement":
                arranged = [pending.pop(self.rng.randrange(len(pending))) for _ in range(min(len(pending), self.rng.randint(1, 3)))]
                form = self.rng.choices(["inspection_week", "joint_inspection"], weights=[60, 40])[0]
                latest = max(datetime.date.fromisoformat(a["submitted"]) for a in arranged)
                arranged_on = self.day(latest, 1, 20)
                start = self.day(arranged_on, 5, 40)
                status = self.rng.choices(["inspected", "scheduled", "cancelled"], weights=[80, 10, 10])[0]
                data.update(
                    title=f"{start.year}年{start.month}月跨合区{'检查周' if form == 'inspection_week' else self.rng.choice(TOPICS) + '联合检查'}",
                    status=status,
                    visibility=self.visibility(mech_public, *(a["visibility"] == "public" for a in arranged)),
                    applications=[a["id"] for a in arranged],
                    form=form,
                    arranged_by=self.fixed["zone"].id,
                    arranged_on=arranged_on.isoformat(),
                    date=start.isoformat(),
                )
                if form == "inspection_week":
                    data["end_date"] = (start + datetime.timedelta(days=4)).isoformat()
                if status == "inspected":
                    found = self.rng.choice(["未发现问题", "发现问题已责令整改", "发现隐患已督促限期整改"])
                    data["result"] = f"检查企业{len(arranged) + self.rng.randint(0, 3)}家，{found}。"
                elif status == "cancelled":
                    data["cancellation"] = {"date": self.day(arranged_on, 1, 4).isoformat(), "reason": "因工作安排调整，取消本次检查，另行安排。"}
                for application in arranged:
                    if status == "cancelled":
                        pending.append(application)  # back to 已申报, may be arranged again
                    else:
                        application["status"] = "arranged"
            else:
                department = self.rng.choice(departments)
                subject = self.rng.choice(TOPICS)
                enterprises = [dict(e) for e in self.rng.sample(pool, self.rng.randint(1, 3 if kind == "application" else 2))]
                data.update(
                    title=f"{subject}检查",
                    status="submitted" if kind == "application" else "inspected",
                    visibility=self.visibility(mech_public),
                    department=department.id,
                    enterprises=enterprises,
                    matter=f"{subject}相关法律法规执行情况检查。",
                    basis=[{"name": self.rng.choice(LAWS)}],
                )
                if kind == "application":
                    submitted = self.day(self.START, 0, 800)
                    data["submitted"] = submitted.isoformat()
                    data["proposed"] = {"from": self.day(submitted, 10, 30).isoformat(), "to": self.day(submitted, 40, 90).isoformat()}
                    pending.append(data)
                else:
                    data["date"] = self.day(self.START, 0, 880).isoformat()
                    data["reason"] = self.rng.choice(["接到投诉举报，依法进行核查。", "上级部门交办的专项检查。", "发生事故后的执法检查。"])
                    data["result"] = self.rng.choice(["未发现违法行为。", "发现问题，已责令限期整改。"])
            self.notes(data, 0.05)
            self.inspections.append((insp_id, data))
            self.add("inspections", data)
        for application in pending:  # the rest: most wait, some are declined or withdrawn
            roll = self.rng.random()
            submitted = datetime.date.fromisoformat(application["submitted"])
            if roll < 0.15:
                application["status"] = "not_arranged"
                application["decision"] = {"date": self.day(submitted, 5, 30).isoformat(), "reason": "与已安排的检查内容重复，不再另行安排。"}
            elif roll < 0.25:
                application["status"] = "withdrawn"
                application["withdrawal"] = {"date": self.day(submitted, 1, 20).isoformat(), "reason": "企业已停业，不再需要检查。"}

    def make_pushes(self) -> None:
        """Pushes both ways (approval information from the committee to departments; policies and
        supervision information back), about powers and inspections, with receipts after them."""
        mech_id, mech_public = self.push_mechanism
        departments = self._checking_departments()
        zone = self.fixed["zone"]
        powers = [(data["id"], data["visibility"] == "public") for type_name, data in self.records if type_name == "powers"]
        inspections = [(insp_id, data["visibility"] == "public") for insp_id, data in self.inspections if data["kind"] != "application"]
        reviews = [(data["id"], data["visibility"] == "public") for type_name, data in self.records if type_name == "reviews" and data["status"] == "decided"]
        for i in range(1, self.plan["pushes"] + 1):
            push_id = self._id("pushes", "push", i)
            kind = self.rng.choices(["approval", "policy", "supervision"], weights=[50, 20, 30])[0]
            sent = self.day(self.START, 0, 880)
            if kind == "approval":
                sender, receivers = zone, self.rng.sample(departments, min(len(departments), self.rng.randint(1, 3)))
            else:
                sender, receivers = self.rng.choice(departments), [zone]
            about = self.rng.sample(powers, min(len(powers), self.rng.randint(1, 2) if kind == "approval" else self.rng.randint(0, 1)))
            checked = self.rng.sample(inspections, 1) if kind == "supervision" and inspections and self.chance(0.3) else []
            reviewed = self.rng.sample(reviews, 1) if kind == "approval" and reviews and self.chance(0.2) else []
            topic = self.rng.choice(TOPICS)
            label = {"approval": "行政审批办理结果", "policy": "上级有关政策", "supervision": "事中事后监管情况"}[kind]
            data: dict[str, Any] = {
                "id": push_id,
                "title": f"{sent.year}年{sent.month}月{topic}{label}",
                "status": "withdrawn" if self.chance(0.05) else "sent",
                "visibility": self.visibility(mech_public, *(public for _, public in about + checked + reviewed)),
                "kind": kind,
                "mechanism": mech_id,
                "sender": sender.id,
                "receivers": [org.id for org in receivers],
                "date": sent.isoformat(),
                "content": self.sentence(2),
            }
            if about:
                data["powers"] = [power_id for power_id, _ in about]
            if checked:
                data["inspections"] = [insp_id for insp_id, _ in checked]
            if reviewed:
                data["reviews"] = [review_id for review_id, _ in reviewed]
            receipts = [{"organization": org.id, "date": self.day(sent, 0, 10).isoformat()} for org in receivers if self.chance(0.8)]
            if receipts:
                data["receipts"] = receipts
            if data["status"] == "withdrawn":
                data["withdrawal"] = {"date": self.day(sent, 0, 5).isoformat(), "reason": "推送内容有误，更正后重新推送。"}
            self.notes(data, 0.05)
            self.add("pushes", data)

    # -- powers ------------------------------------------------------------------------------
    def make_powers(self) -> None:
        categories = list(POWER_WEIGHTS)
        serial: Counter[str] = Counter()
        departments = [org for org in self.workers if org.kind == "department" and org.level != "zone"] or self.workers
        zone_units = [org for org in self.workers if org.level == "zone"] or [self.fixed["zone"]]
        for i in range(1, self.plan["powers"] + 1):
            power_id = self._id("powers", "power", i)
            category = self.rng.choices(categories, weights=list(POWER_WEIGHTS.values()))[0]
            prefix, patterns = POWER_CATEGORIES[category]
            serial[prefix] += 1
            implementer = self.rng.choice(departments)
            status = self.rng.choices(["in_force", "proposed", "suspended", "revoked", "expired"], weights=[72, 10, 7, 6, 5])[0]
            data: dict[str, Any] = {
                "id": power_id,
                "title": self.rng.choice(patterns).format(obj=self.rng.choice(POWER_OBJECTS)),
                "status": status,
                "visibility": self.visibility(),
                "code": f"{prefix}-450681-{serial[prefix]:05d}",
                "category": category,
                "basis": [{"name": law, "article": f"第{cn(self.rng.randint(2, 80))}条"} for law in self.rng.sample(LAWS, self.rng.randint(1, 2))],
                "implementer": implementer.id,
            }
            if self.chance(0.15):
                data["basis"].append({"name": "关于支持东兴试验区与东兴市跨合区协同发展的实施意见", "document": self.doc_ids[0]})
            if self.chance(0.5) or status == "expired":
                start = self.day(datetime.date(2023, 1, 1), 0, 600)
                delegate = self.rng.choice(zone_units).id
                delegation: dict[str, Any] = {
                    "document": self.rng.choice(self.doc_ids),
                    "scope": sorted(self.rng.sample(["accept", "review", "decide", "deliver", "supervise"], self.rng.randint(1, 4))),
                }
                delegation["effective_from"] = start.isoformat()
                if status == "expired" or self.chance(0.3):
                    delegation["effective_to"] = self.day(start, 365, 1095).isoformat()
                # 委托: the zone unit exercises the department's power in the department's name
                data.update(mode="delegated", granted_by=implementer.id, implementer=delegate, delegation=delegation)
            else:
                data["mode"] = "direct"
            data["front_desk"] = self.fixed["window"].id
            data["back_office"] = implementer.id
            data["supervisors"] = [org.id for org in self.pick_orgs(self.rng.randint(1, 2))]
            statutory = self.rng.choice([5, 10, 15, 20, 30, 60])
            data["handling_type"] = "instant" if statutory <= 5 and self.chance(0.5) else "promised"
            data["statutory_limit_days"] = statutory
            data["promised_limit_days"] = self.rng.randint(0 if data["handling_type"] == "instant" else 1, statutory)
            data["fee"] = self.chance(0.15)
            materials = []
            for name in self.rng.sample(MATERIALS, self.rng.randint(2, 5)):
                material: dict[str, Any] = {"name": name, "required": True}
                if self.chance(0.2):
                    material.update(required=False, deferrable=True)
                materials.append(material)
            data["materials"] = materials
            data["source"] = self.clause_ref()
            self.notes(data, 0.05)
            self.add("powers", data)

    # -- tasks -------------------------------------------------------------------------------
    def make_tasks(self) -> None:
        with_decisions = [m for m in self.meetings if m.decisions]
        for i in range(1, self.plan["tasks"] + 1):
            task_id = self._id("tasks", "task", i)
            from_meeting = bool(with_decisions) and i % 2 == 0
            lead = self.pick_orgs(self.rng.randint(1, 2) if self.chance(0.2) else 1)
            cooperating = [org for org in self.pick_orgs(self.rng.randint(0, 3)) if org not in lead]
            cited_public = True
            if from_meeting:
                meeting = self.rng.choice(with_decisions)
                cited_public = meeting.public
                source: dict[str, Any] = {"meeting": meeting.id, "decision": self.rng.choice(meeting.decisions)}
                assigned = self.day(meeting.date, 1, 20)
                written = f"会议议定：由{'、'.join(o.short for o in lead)}牵头"
            else:
                source = self.clause_ref()
                assigned = self.day(datetime.date(2023, 1, 1), 0, 700)
                written = f"{source['clause']}：{'、'.join(o.short for o in lead)}负责"
            if cooperating:
                written += f"，{'、'.join(o.short for o in cooperating)}配合"
            status = self.rng.choices(["assigned", "in_progress", "extended", "completed", "closed", "terminated"], weights=[8, 32, 10, 18, 26, 6])[0]
            data: dict[str, Any] = {
                "id": task_id,
                "title": self.phrase(),
                "status": status,
                "visibility": self.visibility(cited_public),
                "source": source,
                "duty": self.text(1, 2),
                "assignment_as_written": written + "。",
                "lead": [o.id for o in lead],
            }
            if cooperating:
                data["cooperating"] = [o.id for o in cooperating]
            data["assigned"] = assigned.isoformat()
            deadline = self.day(assigned, 30, 240)
            long_term = status in ("assigned", "in_progress", "terminated") and self.chance(0.05)
            # extensions: each requested before the deadline it moves, each new deadline later than the last
            extensions = []
            n_ext = self.rng.randint(1, 2) if status == "extended" else (1 if status != "assigned" and not long_term and self.chance(0.15) else 0)
            requested_floor = assigned
            for _ in range(n_ext):
                requested = self.day(requested_floor, 0, max(0, (deadline - requested_floor).days - 1))
                deadline = self.day(deadline, 30, 120)
                extensions.append(
                    {
                        "requested": requested.isoformat(),
                        "approved_by": self.fixed["office"].id,
                        "new_deadline": deadline.isoformat(),
                        "reason": self.extension_reason(),
                    }
                )
                requested_floor = requested
            if not long_term:
                data["deadline"] = deadline.isoformat()
            end = self.day(assigned, 20, 300)  # the last thing that happened so far
            if status != "assigned":
                k = self.rng.randint(1, 4)
                data["progress"] = [{"date": d.isoformat(), "text": self.progress_text(), "by": lead[0].id} for d in self.dates_between(assigned, end, k)]
            if extensions:
                data["extensions"] = extensions
            if status in ("in_progress", "extended") and self.chance(0.25):
                data["reminders"] = [
                    {"date": self.day(assigned, 15, 120).isoformat(), "by": self.fixed["office"].id, "text": "请按时限要求加快办理，及时报送进度。"}
                ]
            if status in ("completed", "closed"):
                done = self.day(end, 0, 10)
                data["completion"] = {"date": done.isoformat(), "result": self.completion_text()}
                if status == "closed":
                    data["closure"] = {"date": self.day(done, 3, 30).isoformat(), "verified_by": self.fixed["office"].id}
            if status == "terminated":
                data["termination"] = {
                    "date": self.day(end, 0, 10).isoformat(),
                    "reason": self.rng.choice(["因政策调整，该任务不再实施。", "任务内容已并入其他督办事项统筹推进。", "经会议研究，不再作为督办事项。"]),
                }
            if status == "in_progress" and self.chance(0.04):
                data["reopenings"] = [{"date": self.day(end, 0, 20).isoformat(), "reason": "审核发现办结材料不完整，退回重办。"}]
            self.notes(data)
            self.add("tasks", data)

    def extension_reason(self) -> str:
        return self.rng.choice(
            [
                f"涉及{self.rng.choice(TOPICS)}，需报请上级审批，申请延期办理。",
                "受天气影响，工程进度滞后。",
                "配套资金尚未到位，申请延期。",
                f"需与相关单位进一步协调{self.rng.choice(PROBLEMS)}问题。",
            ]
        )

    def progress_text(self) -> str:
        topic = self.rng.choice(TOPICS)
        return self.rng.choice(
            [
                f"已召开专题会议研究{topic}有关问题，形成初步方案。",
                f"已完成{topic}现场踏勘，正在征求相关单位意见。",
                f"{topic}相关材料已报送审核。",
                f"已与配合单位对接{topic}事项，明确了责任分工和时间节点。",
                f"完成阶段性目标，累计办理{self.rng.randint(2, 300)}件。",
            ]
        )

    def completion_text(self) -> str:
        return self.rng.choice(
            [
                f"已完成{self.rng.choice(TOPICS)}{self.rng.choice(OBJECTS)}的制定并印发实施。",
                "已按要求办结，相关材料已归档。",
                f"{self.rng.choice(TOPICS)}工作已全面完成，运行情况良好。",
            ]
        )

    # -- coordination ------------------------------------------------------------------------
    def make_coordination(self) -> None:
        held = [m for m in self.meetings if m.status in ("held", "minutes_issued")]
        for i in range(1, self.plan["coordination"] + 1):
            coord_id = self._id("coordination", "coord", i)
            origin = self.rng.choices(["enterprise", "project", "department"], weights=[55, 30, 15])[0]
            problem = self.rng.choice(PROBLEMS)
            meeting = self.rng.choice(held) if held and self.chance(0.6) else None
            raised = self.day(meeting.date, -45, 0) if meeting else self.day(self.START, 0, 880)
            status = self.rng.choices(["open", "coordinating", "escalated", "resolved", "closed", "withdrawn"], weights=[10, 30, 12, 20, 20, 8])[0]
            visibility = self.visibility(meeting.public) if meeting else self.visibility()
            data: dict[str, Any] = {"id": coord_id, "title": "", "status": status, "visibility": visibility, "origin": origin}
            if origin == "department":
                raiser = self.rng.choice(self.workers)
                data["raised_by"] = raiser.id
                name = raiser.short
            else:  # anonymised the way the records write them: 某企业, 某项目
                place, industry = self.rng.choice(["东兴试验区", "东兴市", "江平镇", "东兴镇"]), self.rng.choice(INDUSTRIES)
                name = f"{place}某{industry}企业" if origin == "enterprise" else f"{place}某{industry}{self.rng.choice(PROJECT_KINDS)}项目"
                data["raised_by_name"] = name
            data["title"] = f"{name}{problem}问题"
            data["raised_on"] = raised.isoformat()
            data["description"] = f"{name}反映{problem}方面存在困难。\n\n{self.text(1, 2)}"
            responsible = self.pick_orgs(self.rng.randint(1, 2))
            data["responsible"] = [o.id for o in responsible]
            cooperating = [o for o in self.pick_orgs(self.rng.randint(0, 2)) if o not in responsible]
            if cooperating:
                data["cooperating"] = [o.id for o in cooperating]
            data["deadline"] = self.day(raised, 15, 90).isoformat()
            if meeting is not None:
                item: dict[str, Any] = {"meeting": meeting.id}
                if meeting.decisions and self.chance(0.5):
                    item["decision"] = self.rng.choice(meeting.decisions)
                data["discussed_at"] = [item]
            end = self.day(raised, 20, 200)
            if status != "open":
                data["progress"] = [
                    {"date": d.isoformat(), "text": self.progress_text(), "by": responsible[0].id}
                    for d in self.dates_between(raised, end, self.rng.randint(1, 3))
                ]
            if status == "escalated" or (status in ("resolved", "closed") and self.chance(0.2)):
                reported = self.day(raised, 5, 60)
                escalation: dict[str, Any] = {
                    "to": [self.rng.choice(self.escalation_targets).id],
                    "via": self.fixed["office"].id,
                    "reported_on": reported.isoformat(),
                    "request": f"请求协调解决{name}{problem}问题，支持{self.phrase()}。",
                }
                if status != "escalated" or self.chance(0.3):
                    answer = self.day(reported, 7, 60)
                    escalation["answer"] = {"date": answer.isoformat(), "text": "同意按程序办理，请东兴试验区管委会会同有关部门抓好落实。"}
                    end = max(end, answer)
                data["escalation"] = escalation
            if status in ("resolved", "closed"):
                data["resolution"] = {"date": self.day(end, 0, 15).isoformat(), "text": f"{problem}问题已协调解决，{self.sentence(1)}"}
            if status == "withdrawn":
                data["withdrawal"] = {"date": self.day(raised, 3, 60).isoformat(), "reason": "提出方已自行解决，申请撤回。"}
            self.notes(data, 0.05)
            self.add("coordination", data)

    def build(self) -> list[tuple[str, dict[str, Any]]]:
        self.make_organizations()
        self.make_documents()
        self.make_organization_sources()
        self.make_mechanisms()
        self.make_meetings()
        self.make_reviews()
        self.make_powers()
        self.make_inspections()
        self.make_pushes()
        self.make_tasks()
        self.make_coordination()
        return self.records


def build_records(n_records: int, seed: int = 0) -> list[tuple[str, dict[str, Any]]]:
    """The records as (type, data), in the order they are written; no files touched."""
    return _Builder(n_records, seed).build()


def write_synthetic(root: Path, n_records: int, seed: int = 0) -> dict[str, int]:
    """Write a registry of `n_records` valid records under `root/registry`; returns counts per type."""
    registry = root / REGISTRY_DIR
    if registry.exists() and any(registry.iterdir()):
        raise FileExistsError(f"{registry} is not empty")
    counts: dict[str, int] = {t: 0 for t in TYPES}
    for type_name in TYPES:
        (registry / type_name).mkdir(parents=True, exist_ok=True)
    for type_name, data in build_records(n_records, seed):
        text = record_text(type_name, data)
        if _LONG_DIGITS.search(text):  # a generator bug, not bad luck: fail loudly
            raise AssertionError(f"{data['id']}: long digit run in generated text")
        (registry / type_name / f"{data['id']}.yaml").write_bytes(text.encode("utf-8"))
        counts[type_name] += 1
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.synthetic", description="Write a seeded synthetic registry (and a copy of the repository's schemas) to ROOT."
    )
    parser.add_argument("root", type=Path, help="target folder; ROOT/registry must not exist or be empty")
    parser.add_argument("n", type=int, help=f"number of records (at least {MIN_RECORDS})")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0); the same seed gives identical files")
    args = parser.parse_args(argv)
    if args.n < MIN_RECORDS:
        parser.error(f"N must be at least {MIN_RECORDS}")
    try:
        counts = write_synthetic(args.root, args.n, args.seed)
    except FileExistsError as err:
        parser.error(str(err))
    shutil.copytree(REPO_SCHEMAS, args.root / SCHEMAS_DIR, dirs_exist_ok=True)
    summary = ", ".join(f"{t} {n}" for t, n in counts.items())
    print(f"wrote {sum(counts.values())} records to {args.root / REGISTRY_DIR} ({summary}); schemas copied to {args.root / SCHEMAS_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
