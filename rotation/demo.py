"""Rotation demo data for ``seed_demo``: decisions over the 2020–2025 term and after.

Receiver of ``personnel.signals.demo_seeded``. Everything is written through the
services, as the system (``by=None``). Two officials exchange posts inside one
decision (X takes Y's post, Y takes X's), so a post never has two holders; each
official moves once, except a pair swapped back by a return decision. Every
direction of DOMAIN.md rule 1 appears, with a central unit for the moves to and
from the centre. Deterministic for a seed and a day.
"""

import datetime as dt
import random
from collections import Counter, namedtuple

from personnel import services as personnel_services
from personnel.choices import (
    EducationLevel,
    Gender,
    Level,
    PlanningStatus,
    PoliticalTheory,
    PositionKind,
)
from personnel.demo.geography import ROOT_UNIT_CODE
from personnel.models import (
    Locality,
    Official,
    OrgUnit,
    PlanningEntry,
    Position,
    Posting,
    Reorganisation,
    Sector,
)
from personnel.retirement import working_months_left

from . import demo_reform, jobs, services
from .choices import (
    ConsultationOpinion,
    DecisionStatus,
    MovementKind,
    MovementOutcome,
    ReviewPeriod,
)
from .models import Alert, Decision, Movement

SEED_OFFSET = 1_010_2020
TERM_START = dt.date(2020, 10, 1)
DISTRICTS_ABOLISHED = dt.date(2025, 7, 1)
DAY = dt.timedelta(days=1)
OUTSIDE = {"from_posting": None}  # movement_add: coming from outside the system
P, D, C, TW = Level.PROVINCE, Level.DISTRICT, Level.COMMUNE, Level.CENTRAL
K = MovementKind
S = DecisionStatus
LEG = {"r": K.ROTATION, "t": K.TRANSFER, "a": K.APPOINTMENT, "s": K.SECONDMENT}
WORDS = {K.ROTATION: "luân chuyển", K.TRANSFER: "điều động", K.APPOINTMENT: "bổ nhiệm"}
WORDS[K.SECONDMENT] = "biệt phái"
RATE = {"TU": 0.55, "HU": 0.12, "BTCTW": 1.3}  # decisions a day, for plausible numbers


def _cross(a, b):
    return b.level == a.level and b.locality == a.locality and b.sector != a.sector


# Swap types: the level of the first post, and a test of the second post against it.
TYPES = {
    "PD": (P, lambda a, b: b.level == D),
    "PC": (P, lambda a, b: b.level == C),
    "DC": (D, lambda a, b: b.level == C and b.district == a.district),
    "DD": (D, lambda a, b: b.level == D and b.district != a.district),
    "CC": (C, lambda a, b: b.level == C and b.locality != a.locality),
    "CP": (TW, lambda a, b: b.level == P),
    "XP": (P, _cross),
    "XD": (D, _cross),
    "XC": (C, _cross),
    "EX": (P, None),  # someone from outside takes the post; its holder goes to the centre
}

# (swap types joined by "+", swaps of each, leg kinds of the two sides, issuer)
MAIN = [
    ("PD", 2, "rr", "TU"), ("PD", 2, "rt", "TU"), ("PD", 1, "rr", "TU"), ("PD", 2, "rr", "TU"),
    ("PD", 1, "ra", "TU"), ("PD+DC", 1, "rr", "TU"), ("DC", 2, "rr", "HU"), ("DC", 1, "tr", "HU"),
    ("DC", 2, "rr", "HU"), ("DC", 1, "rr", "TU"), ("PC", 2, "sr", "TU"), ("PC", 1, "rr", "TU"),
    ("DD", 2, "rr", "TU"), ("DD", 2, "tt", "TU"), ("DD", 1, "rr", "TU"), ("CC", 2, "rr", "HU"),
    ("CC", 1, "rr", "TU"), ("XP", 2, "ta", "TU"), ("XD", 1, "rr", "HU"), ("XC", 1, "tt", "HU"),
    ("XP", 1, "rr", "TU"), ("CP", 1, "rr", "BTCTW"), ("EX", 1, "at", "TU"), ("PD", 2, "rr", "TU"),
    ("XD", 1, "ta", "TU"),
]  # fmt: skip
LATE = [("PC", 2, "rr", "TU"), ("XP", 1, "tr", "TU"), ("CP", 1, "rt", "BTCTW"),
        ("PC", 1, "st", "TU")]  # fmt: skip
PENDING = [  # (template, status, answers, days from today to the effective date)
    (("PC", 1, "rr", "TU"), S.APPROVED, "some", (-20, -3)),  # left for the daily job
    (("PC", 1, "rr", "TU"), S.APPROVED, "all", (12, 45)),
    (("XP", 1, "ta", "TU"), S.APPROVED, "all", (15, 50)),
    (("PC", 1, "rr", "TU"), S.CONSULTING, "some", (30, 75)),
    (("CC", 1, "rr", "TU"), S.CONSULTING, "some", (30, 75)),
    (("PC", 1, "rr", "TU"), S.DRAFT, "", (45, 100)),
    (("XC", 1, "tt", "TU"), S.DRAFT, "", (45, 100)),
]
NEWCOMERS = [("Trần Thị Thu Hà", Gender.FEMALE), ("Nguyễn Văn Thắng", Gender.MALE)]
NOTES = "Đồng ý; đề nghị bố trí thời gian bàn giao công việc trước ngày có hiệu lực."
REVIEW = "Phẩm chất chính trị vững vàng; hoàn thành nhiệm vụ được giao tại nơi đến."


# An official holding a position now (an open primary posting): someone to move.
Post = namedtuple("Post", "official position start level locality sector district")


def _title(kinds) -> str:
    if K.RETURN in kinds:
        return "Về việc điều động cán bộ luân chuyển trở về cơ quan cũ"
    return f"Về việc {', '.join(w for k, w in WORDS.items() if k in kinds)} cán bộ"


class DemoBuilder:
    def __init__(self, seed: int, today: dt.date):
        self.rng = random.Random(seed + SEED_OFFSET)  # noqa: S311 - demo data, not security
        self.today = today
        self.root = OrgUnit.objects.get(code=ROOT_UNIT_CODE, parent=None)
        self.used: set[int] = set()
        self.overdue: set[int] | None = None  # rotations left overdue (aftermath)
        self.swaps: list[tuple[Movement, Movement, OrgUnit]] = []
        self.vacant = self._central_unit()
        self.pool = self._posts()
        self.planned: dict[int, list[tuple[int, int]]] = {}
        active = PlanningEntry.objects.filter(status=PlanningStatus.ACTIVE)
        for official_id, term in active.values_list("official_id", "term"):
            a, b = term.split("-")
            self.planned.setdefault(official_id, []).append((int(a), int(b)))
        committees = OrgUnit.objects.filter(level=D, parent=self.root, name__startswith="Huyện ủy")
        self.huyen = {u.locality_id: u for u in committees.order_by("path")}

    def _central_unit(self) -> list[Position]:
        """Ban Tổ chức Trung ương: two deputies in office and two vacant expert posts."""
        party = Sector.objects.get(code="party")
        unit, _ = OrgUnit.objects.get_or_create(
            code="TW.BTC",
            defaults={"name": "Ban Tổ chức Trung ương", "level": TW, "sector": party},
        )
        titles = ["Phó Vụ trưởng Vụ Địa phương I"] * 2 + ["Chuyên viên cao cấp Vụ Địa phương I"] * 2
        posts = [
            Position.objects.create(
                org_unit=unit,
                title=title,
                kind=PositionKind.DEPUTY if i < 2 else PositionKind.STAFF,
                display_order=10 * (i + 1),
            )
            for i, title in enumerate(titles)
        ]
        people = [
            ("TW-000001", "Lê Quang Huy", Gender.MALE, dt.date(1978, 5, 12), "412", 2015),
            ("TW-000002", "Phạm Thị Minh Nguyệt", Gender.FEMALE, dt.date(1981, 9, 3), "450", 2017),
        ]
        for post, (*person, since) in zip(posts, people, strict=False):
            official, start = self._official(*person), dt.date(since, 6, 1)
            personnel_services.posting_create(
                official=official, position=post, title="", start_date=start
            )
        return posts[2:]

    def _official(self, code, name, gender, born, place) -> Official:
        place = Locality.objects.filter(code=place).first()
        return Official.objects.create(
            code=code,
            full_name=name,
            gender=gender,
            date_of_birth=born,
            hometown=place,
            birthplace=place,
            education_level=EducationLevel.MASTER,
            political_theory=PoliticalTheory.ADVANCED,
        )

    def _posts(self) -> list[Post]:
        rows = Posting.objects.filter(
            is_primary=True, end_date__isnull=True, position__isnull=False
        ).select_related("official", "position__org_unit__locality")
        posts = []
        for row in rows.order_by("id"):
            unit = row.position.org_unit
            if not unit.is_valid_on(self.today) and unit.valid_to is not None:
                continue  # to be placed after a reorganisation: not moved by the demo
            if unit.level == D and unit.code.endswith(".CA"):
                continue  # district police end on 1/3/2025 (demo_reform)
            district = unit.locality_id if unit.level == D else None
            if unit.level == C:
                district = unit.locality.parent_id
            place = (unit.level, unit.locality_id, unit.sector_id, district)
            posts.append(Post(row.official, row.position, row.start_date, *place))
        return posts

    def _pick(self, test, on: dt.date, kind: str) -> Post | None:
        """A random free holder passing ``test``; rotations prefer planned cadres (rules 2, 3)."""
        limit = on - 45 * DAY
        found = [p for p in self.pool if p.official.pk not in self.used and p.start < limit]
        found = [p for p in found if test(p)]
        years = 10 if kind == K.ROTATION else 2  # rule 2, and nobody about to retire

        def score(p):
            o = p.official
            planned = any(a <= on.year <= b for a, b in self.planned.get(o.pk, ()))
            left = working_months_left(o.date_of_birth, o.gender, on) >= 12 * years
            return (left, planned or kind != K.ROTATION)

        if not found:
            return None
        best = max(map(score, found))
        post = self.rng.choice([p for p in found if score(p) == best])
        self.used.add(post.official.pk)
        return post

    def _swap(self, kind: str, on: dt.date, legs: str, district: int | None):
        """Two posts for a swap of type ``kind`` (within ``district`` if given)."""
        near = (lambda p: p.district == district) if district else (lambda p: True)
        level, second = TYPES[kind]
        a = self._pick(lambda p: p.level == level and near(p), on, LEG[legs[0]])
        if a is None or second is None:
            return a, None
        b = self._pick(lambda p: second(a, p) and near(p), on, LEG[legs[1]])
        if b is None:
            self.used.discard(a.official.pk)
            return None, None
        return a, b

    def _term(self, kind: str, on: dt.date) -> int | None:
        if kind == K.ROTATION:
            short = on.year in (2021, 2022) and self.rng.random() < 0.7
            return 36 if short else self.rng.choice((36, 48, 60))
        return {K.SECONDMENT: self.rng.choice((12, 24, 36)), K.APPOINTMENT: 60}.get(kind)

    def _number(self, issuer: OrgUnit, suffix: str, day: dt.date) -> str:
        """Numbers grow with the date, as a register does; unique per issuer."""
        taken = set(Decision.objects.filter(issued_by=issuer).values_list("number", flat=True))
        n = 1 + int(max((day - TERM_START).days, 0) * RATE[suffix])
        while f"{n}-QĐ/{suffix}" in taken:
            n += 1
        return f"{n}-QĐ/{suffix}"

    def build(self, template, effective: dt.date, status: str, answers: str = "all"):
        """Choose the people of a template and run its decision up to ``status``."""
        types, swaps, legs, suffix = template
        issuer, district = self.root, None
        if suffix == "HU":
            district = self.rng.choice(sorted(self.huyen))
            issuer = self.huyen[district]
        elif suffix == "BTCTW":
            issuer = OrgUnit.objects.get(code="TW.BTC")
        moves, pairs = [], []
        for kind in types.split("+"):
            for _ in range(swaps):
                a, b = self._swap(kind, effective, legs, district)
                if kind == "EX" and a is not None:
                    moves.append((a.official, LEG[legs[1]], self.vacant.pop(), {}))
                    moves.append((self._newcomer(), LEG[legs[0]], a.position, OUTSIDE))
                elif b is not None:
                    pairs.append((len(moves), len(moves) + 1))
                    moves.append((a.official, LEG[legs[0]], b.position, {}))
                    moves.append((b.official, LEG[legs[1]], a.position, {}))
        if not moves:
            return None
        decision, movements = self.run(issuer, suffix, moves, effective, status, answers)
        self.swaps += [(movements[i], movements[j], issuer) for i, j in pairs]
        return decision

    def _newcomer(self) -> Official:
        """Someone from outside the records (the army, an enterprise): no posting yet."""
        n = Official.objects.filter(code__startswith="NG-").count() + 1
        name, gender = NEWCOMERS[n % 2]
        return self._official(f"NG-{n:06d}", name, gender, dt.date(1979 + n, n, 10), "40")

    def run(
        self, issuer, suffix, moves, effective, status, answers="all", title="", reorganisation=None
    ):
        """Create, consult, approve and apply (as far as ``status``) one decision."""
        rng, today = self.rng, self.today
        signed = min(effective - rng.randint(0, 20) * DAY, today)
        requested = min(signed - rng.randint(20, 45) * DAY, today - 5 * DAY)
        if status in (S.CONSULTING, S.DRAFT):
            signed, requested = None, today - rng.randint(6, 25) * DAY
        number = self._number(issuer, suffix, signed or requested)
        kinds = {kind for _o, kind, _p, _f in moves}
        decision = services.decision_create(
            number=number,
            issued_by=issuer,
            title=title or _title(kinds),
            reorganisation=reorganisation,
        )
        movements = []
        for official, kind, position, extra in moves:
            movement = services.movement_add(
                decision=decision,
                official=official,
                kind=kind,
                to_position=position,
                effective_on=effective,
                term_months=self._term(kind, effective),
                **extra,
            )
            movements.append(movement)
        if status == S.DRAFT:
            return decision, movements
        if reorganisation is not None:  # placements after a reorganisation: nobody to ask
            signed = min(effective, today)
            decision = services.decision_approve(decision=decision, signed_on=signed, notify=False)
            movements = [services.movement_apply(movement=m, today=today) for m in movements]
            return decision, movements
        # Past records: no notification emails.
        asked = services.decision_request_consultations(
            decision=decision, requested_on=requested, notify=False
        )
        skip = set()
        if answers == "some":
            skip = set(rng.sample(range(len(asked)), rng.randint(1, max(1, len(asked) // 2))))
        last = min(signed or today, today)
        for i, consultation in enumerate(asked):
            if i in skip:
                continue
            notes = rng.random() < 0.15
            opinion = ConsultationOpinion.AGREE_WITH_NOTES if notes else ConsultationOpinion.AGREE
            services.consultation_answer(
                consultation=consultation,
                opinion=opinion,
                opinion_text=NOTES if notes else "",
                answered_on=requested + rng.randint(0, max((last - requested).days, 0)) * DAY,
            )
        if status == S.CANCELLED:
            reason = "Điều chỉnh phương án nhân sự theo kết luận của Ban Thường vụ."
            services.decision_cancel(decision=decision, reason=reason)
        if status in (S.CONSULTING, S.CANCELLED):
            return decision, movements
        decision = services.decision_approve(decision=decision, signed_on=signed, notify=False)
        if effective <= today - 30 * DAY:  # the recent ones are left to the daily job
            movements = [services.movement_apply(movement=m, today=today) for m in movements]
        return decision, movements

    def aftermath(self, until: dt.date | None = None) -> None:
        """What became of the rotations due before ``until`` (default today): a few left
        overdue, some swapped back by a return decision, the rest ended (retained or a
        new post). Called before the 2025 reorganisation and again after it."""
        rng, today = self.rng, self.today
        until = until or today
        expired = list(Movement.objects.serving().filter(expected_end_on__lt=until).order_by("id"))
        if self.overdue is None:
            # Left overdue until today: rotations to provincial posts, which the 2025
            # reorganisation does not touch.
            early = list(
                Movement.objects.serving()
                .filter(expected_end_on__lt=today, to_unit__level=P)
                .order_by("id")
            )
            self.overdue = {m.pk for m in rng.sample(early, min(7, len(early)))}
        overdue = self.overdue
        ids = {m.pk for m in expired} - overdue
        back = [  # swaps of two rotations, both due, that a return decision swaps back
            (a, b, issuer)
            for a, b, issuer in self.swaps
            if {a.pk, b.pk} <= ids and issuer.level != TW
            if max(a.expected_end_on, b.expected_end_on) < until - 60 * DAY
        ]
        done = set()
        for a, b, issuer in rng.sample(back, min(4, len(back))):
            on = max(a.expected_end_on, b.expected_end_on) + rng.randint(1, 40) * DAY
            homes = [m.from_posting.position.org_unit for m in (a, b)]
            if on >= until or not all(unit.is_valid_on(on) for unit in homes):
                continue  # the post left ended with the reorganisation: no return to it
            suffix = "HU" if issuer != self.root else "TU"
            if on >= DISTRICTS_ABOLISHED:
                issuer, suffix = self.root, "TU"
            moves = [(m.official, K.RETURN, m.from_posting.position, {}) for m in (a, b)]
            self.run(issuer, suffix, moves, on, S.APPROVED)
            done |= {a.pk, b.pk}
        for m in expired:
            if m.pk in overdue | done:
                continue
            outcome = MovementOutcome.RETAINED if rng.random() < 0.65 else MovementOutcome.NEW_POST
            ended = min(m.expected_end_on + rng.randint(1, 45) * DAY, until - DAY)
            n = 1 + int((ended - TERM_START).days * RATE["TU"])
            basis = f"Quyết định số {n}-QĐ/TU"
            if outcome == MovementOutcome.RETAINED:
                basis = f"Kết luận số {n}-KL/TU của Ban Thường vụ Tỉnh ủy"
            services.movement_end(movement=m, outcome=outcome, ended_on=ended, basis=basis)

    def reviews(self) -> None:
        """Yearly reviews by the receiving side; some serving cadres miss one (rule 8)."""
        rng, today = self.rng, self.today
        rotations = Movement.objects.counted().filter(
            kind=K.ROTATION, applied_at__isnull=False, effective_on__lt=dt.date(today.year, 1, 1)
        )
        rotations = list(rotations.order_by("id"))
        serving = [m for m in rotations if m.ended_on is None]
        missing = {m.pk for m in rng.sample(serving, min(len(serving), max(3, len(serving) // 4)))}
        ratings = ["excellent"] * 3 + ["good"] * 6 + ["completed"]
        for m in rotations:
            last = m.ended_on.year - 1 if m.ended_on else today.year - 1
            years = list(range(m.effective_on.year, last + 1))
            if m.pk in missing and years:
                years.remove(rng.choice(years))
            periods = [(ReviewPeriod.ANNUAL, year) for year in years]
            if m.ended_on and m.outcome != MovementOutcome.NEW_POST:
                periods.append((ReviewPeriod.FINAL, m.ended_on.year))
            for period, year in periods:
                rating = rng.choice(ratings)
                services.review_record(
                    movement=m, period=period, year=year, rating=rating, text=REVIEW
                )

    def plan(self):
        """Every forward decision with its effective date and status, in date order."""
        rng, today = self.rng, self.today
        span = (dt.date(2025, 6, 1) - TERM_START).days // len(MAIN)  # one decision a slot
        main_days = [
            TERM_START + (i * span + rng.randint(20, span)) * DAY for i in range(len(MAIN))
        ]
        templates = list(MAIN)
        rng.shuffle(templates)
        faits = set(rng.sample(range(len(MAIN)), 6))
        out = [
            (t, day, S.APPROVED, "some" if i in faits else "all")
            for i, (t, day) in enumerate(zip(templates, main_days, strict=True))
        ]
        cancelled = dt.date(2024, rng.randint(3, 10), 1)
        out.append((("PD", 1, "rr", "TU"), cancelled, S.CANCELLED, "some"))
        lo = min(dt.date(2025, 7, 15), today - 200 * DAY)
        for t in LATE:
            day = lo + rng.randint(0, (today - 75 * DAY - lo).days) * DAY
            out.append((t, day, S.APPROVED, "all"))
        out.sort(key=lambda row: row[1])
        for t, status, answers, (a, b) in PENDING:
            out.append((t, today + rng.randint(a, b) * DAY, status, answers))
        return out


def on_demo_seeded(sender, *, seed: int, today: dt.date, stdout, **kwargs) -> None:
    """Add the rotation demo to the province ``seed_demo`` has just written."""
    builder = DemoBuilder(seed, today)
    plan = builder.plan()
    reformed = today >= demo_reform.REFORM_DAY
    if today >= demo_reform.POLICE_DAY:
        demo_reform.police(builder)
    for template, effective, status, answers in plan:
        if reformed and effective >= demo_reform.REFORM_DAY:
            continue
        builder.build(template, effective, status, answers)
    if reformed:
        builder.aftermath(until=demo_reform.REFORM_DAY)
        demo_reform.communes_and_districts(builder)
        builder.pool = builder._posts()  # today's posts, in today's units
        for template, effective, status, answers in plan:
            if effective >= demo_reform.REFORM_DAY:
                builder.build(template, effective, status, answers)
        demo_reform.proposal(builder)
    builder.aftermath()
    builder.reviews()
    result = jobs.apply_due_movements(today)
    reorganisations = Reorganisation.objects.filter(applied_at__isnull=False)
    for reorganisation in reorganisations.order_by("effective_on", "id"):
        outcome = reorganisation.outcome
        stdout.write(
            f"Sắp xếp tổ chức bộ máy “{reorganisation.name}” "
            f"({reorganisation.effective_on:%d/%m/%Y}): {len(outcome['ended_units'])} đơn vị "
            f"kết thúc, {len(outcome['new_units'])} đơn vị mới, {len(outcome['placed'])} cán bộ "
            f"tiếp tục ở đơn vị kế thừa, {len(outcome['to_place'])} cán bộ được bố trí sau."
        )
    statuses = Counter(Decision.objects.values_list("status", flat=True))
    movements = Movement.objects.count()
    stdout.write(
        f"Luân chuyển, điều động: {sum(statuses.values())} quyết định "
        f"({statuses[S.APPROVED]} đã ban hành, {statuses[S.CONSULTING]} đang trao đổi ý kiến, "
        f"{statuses[S.DRAFT]} dự thảo, {statuses[S.CANCELLED]} đã hủy), {movements} lượt "
        f"(hôm nay thi hành thêm {result.applied} lượt), "
        f"{Alert.objects.open().count()} cảnh báo."
    )
