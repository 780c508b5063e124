"""The system checks of a budget against its circular: shape first (codes, amounts, classification),
then the circular's rules (resources equal uses, chapter limits, capital share, mandatory lines).

Pure functions over the ``budget`` case data. Each :class:`Problem` names the place in the budget
(``uses/3/amount``) the way a form shows an error next to a field. The rules run only on a budget whose
shape is sound, so one mistyped amount does not also show up as an imbalance and a broken limit.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

from engine.budget.circular import Circular, Limit, MandatoryLine
from engine.budget.classification import Classification, Section, Title
from engine.budget.numerals import percent_en, percent_fa, rial_en, rial_fa
from engine.persian import to_persian_digits

SIDE_FA = {"uses": "مصارف", "resources": "منابع"}


@dataclasses.dataclass(frozen=True)
class Problem:
    code: str
    path: str
    message: Title

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "path": self.path, "message": self.message.to_dict()}


def _p(code: str, path: str, fa: str, en: str) -> Problem:
    return Problem(code, path, Title(fa=fa, en=en))


def check(budget: object, circular: Circular) -> list[Problem]:
    """Every problem of ``budget`` under ``circular``; an empty list means it passes."""
    problems = check_shape(budget, circular.classification)
    if not isinstance(budget, Mapping):
        return problems
    year = budget.get("fiscal_year")
    if isinstance(year, int) and not isinstance(year, bool) and year != circular.year:
        problems.append(
            _p(
                "fiscal_year_mismatch", "fiscal_year",
                f"سال مالی بودجه ({to_persian_digits(year)}) با سال بخشنامه ({to_persian_digits(circular.year)}) یکی نیست",
                f"the budget's fiscal year ({year}) is not the circular's ({circular.year})",
            )
        )  # fmt: skip
    if problems:
        return problems
    totals = Totals.of(budget)
    return [
        *_balance(totals),
        *_limits(totals, circular),
        *_capital_share(totals, circular),
        *_mandatory(budget["uses"], totals, circular),
    ]


def check_shape(budget: object, classification: Classification) -> list[Problem]:
    """The problems that make a budget unreadable, whatever the circular says."""
    if not isinstance(budget, Mapping):
        return [_p("not_an_object", "", "بودجه باید یک شیء باشد", "the budget must be an object")]
    problems = list(_header(budget))
    for side in ("resources", "uses"):
        lines = budget.get(side)
        if not isinstance(lines, list):
            problems.append(
                _p("missing_field", side, f"فهرست {SIDE_FA[side]} نیامده است", f"no list of {side}")
            )
        elif not lines:
            problems.append(
                _p("no_lines", side, f"فهرست {SIDE_FA[side]} خالی است", f"the {side} list is empty")
            )
        else:
            problems += _lines(side, lines, classification)
    return problems


def _header(budget: Mapping[str, Any]) -> Iterator[Problem]:
    year = budget.get("fiscal_year")
    if isinstance(year, bool) or not isinstance(year, int):
        yield _p("missing_field", "fiscal_year", "سال مالی بودجه معلوم نیست", "the fiscal year is missing")
    unit = budget.get("unit")
    if not isinstance(unit, str) or not unit.strip():
        yield _p("missing_field", "unit", "واحد (شهرداری) بودجه معلوم نیست", "the budget's unit is missing")


def _lines(side: str, lines: Sequence[object], classification: Classification) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[str] = set()
    for index, line in enumerate(lines):
        path = f"{side}/{index}"
        if not isinstance(line, Mapping):
            problems.append(
                _p("not_an_object", path, "هر ردیف باید یک شیء باشد", "each line must be an object")
            )
            continue
        problems += _code(path, line, seen)
        problems += _amount(path, line)
        if side == "resources":
            problems += _resource_chapter(path, line, classification)
        else:
            problems += _use_codes(path, line, classification)
    return problems


def _code(path: str, line: Mapping[str, Any], seen: set[str]) -> Iterator[Problem]:
    code = line.get("code")
    if not isinstance(code, str) or not code.strip():
        yield _p("code_missing", f"{path}/code", "کد ردیف خالی است", "the line has no code")
    elif code in seen:
        yield _p(
            "duplicate_code", f"{path}/code",
            f"کد ردیف {to_persian_digits(code)} بیش از یک بار آمده است", f"line code {code} appears more than once",
        )  # fmt: skip
    else:
        seen.add(code)


def _amount(path: str, line: Mapping[str, Any]) -> Iterator[Problem]:
    amount = line.get("amount")
    if isinstance(amount, bool) or not isinstance(amount, int):
        yield _p(
            "amount_not_integer", f"{path}/amount",
            "مبلغ ردیف باید عدد صحیح به ریال باشد", "the amount must be a whole number of Rials",
        )  # fmt: skip
    elif amount <= 0:
        yield _p(
            "amount_not_positive", f"{path}/amount",
            f"مبلغ ردیف باید بیشتر از صفر باشد (اکنون {rial_fa(amount)})",
            f"the amount must be above zero (it is {rial_en(amount)})",
        )  # fmt: skip


def _text(line: Mapping[str, Any], key: str) -> str | None:
    """A code field's value when it is text; numbers and lists never match a code (and lists are
    unhashable, so they must not reach a dict lookup)."""
    value = line.get(key)
    return value if isinstance(value, str) else None


def _resource_chapter(
    path: str, line: Mapping[str, Any], classification: Classification
) -> Iterator[Problem]:
    if _text(line, "chapter") not in classification.resource_chapters:
        yield _unknown(
            "unknown_chapter", f"{path}/chapter", "فصل منابع", "resource chapter", line.get("chapter")
        )


def _use_codes(path: str, line: Mapping[str, Any], classification: Classification) -> Iterator[Problem]:
    section = classification.sections.get(_text(line, "section") or "")
    if section is None:
        yield _unknown("unknown_section", f"{path}/section", "بخش مصارف", "section", line.get("section"))
    elif _text(line, "chapter") not in section.chapters:
        yield _unknown(
            "unknown_chapter", f"{path}/chapter", f"فصل {section.title.fa}", "chapter", line.get("chapter")
        )
    else:
        yield from _project(path, line, section)
    if _text(line, "classification") not in classification.kinds:
        yield _unknown(
            "unknown_classification", f"{path}/classification", "طبقه‌بندی (فعالیت/خدمت)",
            "classification (activity/service)", line.get("classification"),
        )  # fmt: skip


def _project(path: str, line: Mapping[str, Any], section: Section) -> Iterator[Problem]:
    project = line.get("project")
    if section.projects == "required" and not (isinstance(project, str) and project.strip()):
        yield _p(
            "project_missing", f"{path}/project",
            "ردیف تملک دارایی‌های سرمایه‌ای باید کد طرح (پروژه) داشته باشد", "a capital line must name its project",
        )  # fmt: skip
    elif section.projects == "forbidden" and project:
        yield _p(
            "project_not_allowed", f"{path}/project",
            f"ردیف {section.title.fa} طرح (پروژه) ندارد", f"a {section.code} line has no project",
        )  # fmt: skip


def _unknown(code: str, path: str, what_fa: str, what_en: str, value: object) -> Problem:
    if value is None or value == "":
        return _p(code, path, f"{what_fa} معلوم نیست", f"the {what_en} is missing")
    return _p(
        code, path, f"{what_fa} «{to_persian_digits(value)}» در طبقه‌بندی نیست", f"unknown {what_en} '{value}'"
    )


@dataclasses.dataclass(frozen=True)
class Totals:
    resources: int
    uses: int
    capital: int
    chapters: Mapping[tuple[str, str | None, str], int]  # (side, section or None, chapter) → Rials

    @classmethod
    def of(cls, budget: Mapping[str, Any]) -> Totals:
        chapters: dict[tuple[str, str | None, str], int] = {}
        for line in budget["resources"]:
            key = ("resources", None, line["chapter"])
            chapters[key] = chapters.get(key, 0) + line["amount"]
        for line in budget["uses"]:
            key = ("uses", line["section"], line["chapter"])
            chapters[key] = chapters.get(key, 0) + line["amount"]
        uses = budget["uses"]
        return cls(
            resources=sum(line["amount"] for line in budget["resources"]),
            uses=sum(line["amount"] for line in uses),
            capital=sum(line["amount"] for line in uses if line["section"] == "capital"),
            chapters=chapters,
        )


def _share(part: int, whole: int) -> Decimal:
    return Decimal(part) * 100 / Decimal(whole) if whole else Decimal(0)


def _balance(totals: Totals) -> Iterator[Problem]:
    if totals.resources != totals.uses:
        gap = abs(totals.resources - totals.uses)
        yield _p(
            "not_balanced", "uses",
            f"جمع منابع ({rial_fa(totals.resources)}) با جمع مصارف ({rial_fa(totals.uses)}) برابر نیست؛ "
            f"اختلاف {rial_fa(gap)} است",
            f"resources ({rial_en(totals.resources)}) do not equal uses ({rial_en(totals.uses)}); "
            f"the difference is {rial_en(gap)}",
        )  # fmt: skip


def _limits(totals: Totals, circular: Circular) -> Iterator[Problem]:
    for limit in circular.limits:
        whole = totals.uses if limit.side == "uses" else totals.resources
        part = totals.chapters.get((limit.side, limit.section, limit.chapter), 0)
        if part * 100 > whole * limit.max_percent:
            yield _over_limit(limit, part, whole, circular.classification)


def _over_limit(limit: Limit, part: int, whole: int, classification: Classification) -> Problem:
    if limit.side == "uses":
        chapter = classification.use_chapter(limit.section or "", limit.chapter)
    else:
        chapter = classification.resource_chapters.get(limit.chapter)
    title = chapter.title if chapter else Title(limit.chapter, limit.chapter)
    cap = math.floor(whole * limit.max_percent / 100)
    share = _share(part, whole)
    return _p(
        "chapter_over_limit", limit.side,
        f"فصل «{title.fa}» {rial_fa(part)} یعنی {percent_fa(share)} از کل {SIDE_FA[limit.side]} است؛ "
        f"سقف بخشنامه {percent_fa(limit.max_percent)} ({rial_fa(cap)}) است",
        f"chapter '{title.en}' is {rial_en(part)}, {percent_en(share)} of all {limit.side}; "
        f"the circular allows at most {percent_en(limit.max_percent)} ({rial_en(cap)})",
    )  # fmt: skip


def _capital_share(totals: Totals, circular: Circular) -> Iterator[Problem]:
    floor = circular.capital_min_percent
    if floor is not None and totals.capital * 100 < totals.uses * floor:
        share = _share(totals.capital, totals.uses)
        yield _p(
            "capital_share_low", "uses",
            f"سهم تملک دارایی‌های سرمایه‌ای {percent_fa(share)} از کل مصارف است؛ "
            f"بخشنامه دست‌کم {percent_fa(floor)} می‌خواهد",
            f"capital uses are {percent_en(share)} of all uses; the circular asks for at least {percent_en(floor)}",
        )  # fmt: skip


def _mandatory(uses: Sequence[Mapping[str, Any]], totals: Totals, circular: Circular) -> Iterator[Problem]:
    where = {line["code"]: index for index, line in enumerate(uses)}
    for rule in circular.mandatory_lines:
        index = where.get(rule.code)
        if index is None:
            yield _p(
                "mandatory_line_missing", "uses",
                f"ردیف الزامی {to_persian_digits(rule.code)} «{rule.title.fa}» در بودجه نیست",
                f"mandatory line {rule.code} '{rule.title.en}' is missing",
            )  # fmt: skip
            continue
        line = uses[index]
        if (line["section"], line["chapter"]) != (rule.section, rule.chapter):
            yield _p(
                "mandatory_line_misplaced", f"uses/{index}/chapter",
                f"ردیف الزامی {to_persian_digits(rule.code)} باید در فصل {to_persian_digits(rule.chapter)} بخش "
                f"{circular.classification.sections[rule.section].title.fa} باشد",
                f"mandatory line {rule.code} belongs in chapter {rule.chapter} of the {rule.section} section",
            )  # fmt: skip
        yield from _mandatory_amount(rule, index, line["amount"], totals)


def _mandatory_amount(rule: MandatoryLine, index: int, amount: int, totals: Totals) -> Iterator[Problem]:
    base = totals.capital if rule.of == "capital" else totals.uses
    least = rule.min_amount
    if rule.min_percent is not None:
        least = max(least, math.ceil(base * rule.min_percent / 100))
    if amount < least:
        base_fa = "مصارف تملک دارایی‌های سرمایه‌ای" if rule.of == "capital" else "کل مصارف"
        share = f" ({percent_fa(rule.min_percent)} {base_fa})" if rule.min_percent is not None else ""
        yield _p(
            "mandatory_line_low", f"uses/{index}/amount",
            f"ردیف الزامی {to_persian_digits(rule.code)} «{rule.title.fa}» {rial_fa(amount)} است؛ "
            f"دست‌کم {rial_fa(least)}{share} لازم است",
            f"mandatory line {rule.code} '{rule.title.en}' is {rial_en(amount)}; at least {rial_en(least)} is needed",
        )  # fmt: skip


def summary_fa(problems: Sequence[Problem]) -> str:
    """The problems as one Persian message, numbered, for a clerk (and a BPMN error's message)."""
    lines = [f"بودجه در بررسی سامانه‌ای پذیرفته نشد ({to_persian_digits(len(problems))} ایراد):"]
    lines += [f"{to_persian_digits(n)}. {p.message.fa}" for n, p in enumerate(problems, 1)]
    return "\n".join(lines)
