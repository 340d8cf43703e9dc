"""Scale data for the benchmark, generated inside PostgreSQL with generate_series.

The structure (localities, units, positions) is small and written through the ORM so
that tree paths are right; officials, postings, decisions and movements are written
with INSERT … SELECT, which is the only way to reach millions of rows in minutes.
Every official gets POSTINGS_PER_OFFICIAL contiguous primary postings (the last one
open), so the exclusion constraint on postings holds.
"""

import datetime as dt
import random
from dataclasses import dataclass

from django.db import connection, transaction

from personnel.choices import Level, LocalityLevel, PositionKind
from personnel.models import Locality, OrgUnit, Position, PostType, Sector
from personnel.post_types import match_code

POSTINGS_PER_OFFICIAL = 5
DISTRICTS_PER_PROVINCE = 12
COMMUNES_PER_DISTRICT = 15
POSITIONS_PER_UNIT = 4


@dataclass(frozen=True)
class Scale:
    officials: int

    @property
    def provinces(self) -> int:
        return max(1, self.officials // 100_000)

    @property
    def postings(self) -> int:
        return self.officials * POSTINGS_PER_OFFICIAL

    @property
    def movements(self) -> int:
        return self.officials // 2


def build_structure(scale: Scale, rng: random.Random) -> None:
    party, _ = Sector.objects.get_or_create(code="party", defaults={"name": "Đảng"})
    government, _ = Sector.objects.get_or_create(
        code="government", defaults={"name": "Chính quyền"}
    )
    root_locality = Locality.objects.create(
        code="B", name="Toàn quốc (đo hiệu năng)", level=LocalityLevel.PROVINCE
    )
    root = OrgUnit.objects.create(
        code="B", name="Ban Tổ chức (đo hiệu năng)", level=Level.CENTRAL, sector=party
    )
    for p in range(scale.provinces):
        province_area = Locality.objects.create(
            code=f"B{p}", name=f"Tỉnh {p}", level=LocalityLevel.PROVINCE, parent=root_locality
        )
        province = OrgUnit.objects.create(
            code=f"B{p}",
            name=f"Tỉnh ủy {p}",
            level=Level.PROVINCE,
            sector=party,
            locality=province_area,
            parent=root,
        )
        _positions(province)
        for d in range(DISTRICTS_PER_PROVINCE):
            area = Locality.objects.create(
                code=f"B{p}.{d}",
                name=f"Huyện {p}.{d}",
                level=LocalityLevel.DISTRICT,
                parent=province_area,
            )
            committee = OrgUnit.objects.create(
                code=f"B{p}.{d}",
                name=f"Huyện ủy {p}.{d}",
                level=Level.DISTRICT,
                sector=party,
                locality=area,
                parent=province,
            )
            people = OrgUnit.objects.create(
                code=f"B{p}.{d}.UB",
                name=f"UBND huyện {p}.{d}",
                level=Level.DISTRICT,
                sector=government,
                locality=area,
                parent=committee,
            )
            _positions(committee)
            _positions(people)
            for c in range(COMMUNES_PER_DISTRICT):
                commune_area = Locality.objects.create(
                    code=f"B{p}.{d}.{c}",
                    name=f"Xã {p}.{d}.{c}",
                    level=LocalityLevel.COMMUNE,
                    parent=area,
                )
                commune = OrgUnit.objects.create(
                    code=f"B{p}.{d}.{c}",
                    name=f"Đảng ủy xã {p}.{d}.{c}",
                    level=Level.COMMUNE,
                    sector=party,
                    locality=commune_area,
                    parent=committee,
                )
                _positions(commune)


_POST_TYPES: dict = {}


def _post_type(title: str, level: str, kind: str) -> PostType:
    if not _POST_TYPES:
        _POST_TYPES.update({t.code: t for t in PostType.objects.all()})
    return _POST_TYPES[match_code(title, level, kind)]


def _positions(unit: OrgUnit) -> None:
    kinds = [PositionKind.HEAD, PositionKind.DEPUTY, PositionKind.DEPUTY, PositionKind.MEMBER][
        :POSITIONS_PER_UNIT
    ]
    titles = {PositionKind.HEAD: "Bí thư", PositionKind.DEPUTY: "Phó Bí thư"}
    Position.objects.bulk_create(
        Position(
            org_unit=unit,
            post_type=_post_type(titles.get(k, "Ủy viên"), unit.level, k),
            title=titles.get(k, "Ủy viên"),
            kind=k,
            requires_non_local=k == PositionKind.HEAD,
        )
        for k in kinds
    )


FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Quang", "Thanh", "Ngọc", "Xuân", "Công"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hà",
    "Hải",
    "Hùng",
    "Lan",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Phong",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trung",
    "Tuấn",
    "Vinh",
]


def _sql_array(words: list[str]) -> str:
    return "ARRAY[" + ",".join("'" + w + "'" for w in words) + "]"


def build_people(scale: Scale) -> None:
    """Officials, their postings, decisions and movements, all inside PostgreSQL."""
    from personnel.text import fold_vietnamese

    folded = {w: fold_vietnamese(w) for w in FAMILY + MIDDLE + GIVEN}
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE bench_units AS SELECT row_number() OVER (ORDER BY id) AS n, id FROM personnel_orgunit WHERE code LIKE 'B%'"
        )
        cursor.execute("SELECT count(*) FROM bench_units")
        units = cursor.fetchone()[0]
        cursor.execute(
            "CREATE TEMP TABLE bench_positions AS SELECT row_number() OVER (ORDER BY id) AS n, id, org_unit_id FROM personnel_position"
        )
        cursor.execute("SELECT count(*) FROM bench_positions")
        positions = cursor.fetchone()[0]
        f, m, g = _sql_array(FAMILY), _sql_array(MIDDLE), _sql_array(GIVEN)
        ff = _sql_array([folded[w] for w in FAMILY])
        fm = _sql_array([folded[w] for w in MIDDLE])
        fg = _sql_array([folded[w] for w in GIVEN])
        cursor.execute(
            f"""
            INSERT INTO personnel_official (code, full_name, other_names, search_key, gender, date_of_birth,
                ethnicity, religion, education_level, major, political_theory, state_management,
                management_tier, status, notes, home_address, phone, photo)
            SELECT 'BX' || lpad(i::text, 8, '0'),
                   ({f})[1 + i % 15] || ' ' || ({m})[1 + (i / 15) % 10] || ' ' || ({g})[1 + (i / 150) % 20],
                   '',
                   ({ff})[1 + i % 15] || ' ' || ({fm})[1 + (i / 15) % 10] || ' ' || ({fg})[1 + (i / 150) % 20],
                   CASE WHEN i % 3 = 0 THEN 'female' ELSE 'male' END,
                   date '1965-01-01' + (i::bigint * 7919 % 11000)::int,
                   CASE WHEN i % 17 = 0 THEN 'Thái' ELSE 'Kinh' END, 'Không', 'university', '',
                   'intermediate', 'specialist', 'unit', 'active', '', '', '', ''
            FROM generate_series(1, {scale.officials}) AS i
            """
        )
        # Contiguous primary postings: each ends the day before the next begins.
        cursor.execute(
            f"""
            INSERT INTO personnel_posting (official_id, position_id, org_unit_id, title, start_date, end_date, is_primary, basis)
            SELECT o.id, NULL, u.id, 'Chuyên viên',
                   date '2000-01-01' + (k * 1400 + o.id % 300)::int,
                   CASE WHEN k = {POSTINGS_PER_OFFICIAL - 1} THEN NULL
                        ELSE date '2000-01-01' + ((k + 1) * 1400 + o.id % 300)::int - 1 END,
                   true, ''
            FROM personnel_official o
            CROSS JOIN generate_series(0, {POSTINGS_PER_OFFICIAL - 1}) AS k
            JOIN bench_units u ON u.n = 1 + (o.id * 31 + k * 7) % {units}
            WHERE o.code LIKE 'BX%'
            """
        )
        cursor.execute(
            """
            UPDATE personnel_official o SET current_posting_id = p.id, current_unit_id = p.org_unit_id
            FROM personnel_posting p
            WHERE p.official_id = o.id AND p.end_date IS NULL AND o.code LIKE 'BX%'
            """
        )
        cursor.execute("SELECT id FROM personnel_orgunit WHERE code = 'B'")
        root = cursor.fetchone()[0]
        decisions = max(1, scale.movements // 10)
        cursor.execute(
            f"""
            INSERT INTO rotation_decision (number, issued_by_id, title, signed_on, status, note, is_fait_accompli,
                missing_consultations, cancel_reason, created_at)
            SELECT i || '-QĐ/BX', {root}, 'Luân chuyển cán bộ', date '2020-10-01' + (i % 1800)::int, 'approved', '',
                   i % 7 = 0, '[]', '', now()
            FROM generate_series(1, {decisions}) AS i
            """
        )
        directions = "ARRAY['province_to_district','district_to_province','district_to_commune','commune_to_district','district_to_district','commune_to_commune','cross_sector']"
        cursor.execute(
            f"""
            INSERT INTO rotation_movement (decision_id, official_id, kind, from_posting_id, to_position_id, to_unit_id,
                from_unit_id, management_tier, effective_on, term_months, expected_end_on, direction, serves_non_local_or_term_limit,
                findings, outcome, outcome_basis, note)
            SELECT d.id, o.id, CASE WHEN i % 4 = 0 THEN 'transfer' ELSE 'rotation' END, NULL, bp.id, bp.org_unit_id,
                   o.current_unit_id, o.management_tier,
                   d.signed_on + 30, 36, d.signed_on + 30 + 1095, ({directions})[1 + i % 7], false, '[]', '', '', ''
            FROM generate_series(1, {scale.movements}) AS i
            JOIN rotation_decision d ON d.number = (1 + i % {decisions}) || '-QĐ/BX'
            JOIN personnel_official o ON o.code = 'BX' || lpad((1 + (i * 7) % {scale.officials})::text, 8, '0')
            JOIN bench_positions bp ON bp.n = 1 + i % {positions}
            """
        )
        cursor.execute("ANALYZE")


def build_activity(day: dt.date) -> None:
    """What a term leaves behind by ``day``: movements applied when due, four in five of
    the rotations past their expected end ended (the rest overdue, each with its open
    alert), yearly reviews (one rotation in ten missing last year's), two answered
    consultations per decision, and the newest decisions still being consulted on."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE rotation_movement SET applied_at = effective_on::timestamptz WHERE effective_on <= %s",
            [day],
        )
        cursor.execute(
            """
            UPDATE rotation_movement SET ended_on = expected_end_on, outcome = 'returned'
            WHERE applied_at IS NOT NULL AND expected_end_on < %s AND id %% 5 <> 0
            """,
            [day],
        )
        cursor.execute(
            """
            INSERT INTO rotation_rotationreview (movement_id, period, year, rating, text, recorded_at)
            SELECT m.id, 'annual', y, 'good', '', now()
            FROM rotation_movement m,
                 generate_series(extract(year FROM m.effective_on)::int,
                                 extract(year FROM coalesce(m.ended_on, %s))::int - 1) AS y
            WHERE m.kind = 'rotation' AND m.applied_at IS NOT NULL
              AND NOT (m.id %% 10 = 0 AND y = %s - 1)
            """,
            [day, day.year],
        )
        cursor.execute(
            """
            INSERT INTO rotation_alert (kind, key, official_id, movement_id, message, raised_on)
            SELECT 'overdue', 'bench-overdue-' || m.id, m.official_id, m.id,
                   'Quá hạn luân chuyển chưa có quyết định', m.expected_end_on + 1
            FROM rotation_movement m
            WHERE m.kind = 'rotation' AND m.applied_at IS NOT NULL AND m.ended_on IS NULL
              AND m.expected_end_on < %s
            """,
            [day],
        )
        cursor.execute(
            """
            UPDATE rotation_decision SET status = 'consulting'
            WHERE id IN (SELECT DISTINCT decision_id FROM rotation_movement WHERE effective_on > %s)
            """,
            [day],
        )
        cursor.execute(
            """
            INSERT INTO rotation_consultation (decision_id, org_unit_id, role, requested_on,
                answered_on, opinion, opinion_text)
            SELECT d.id, d.issued_by_id, r.role, d.signed_on - 20,
                   CASE WHEN d.status = 'consulting' AND r.role = 'receiving' THEN NULL
                        ELSE d.signed_on - 10 END,
                   CASE WHEN d.status = 'consulting' AND r.role = 'receiving' THEN ''
                        ELSE 'agree' END,
                   ''
            FROM rotation_decision d, (VALUES ('sending'), ('receiving')) AS r(role)
            """
        )
        cursor.execute("ANALYZE")


@transaction.atomic
def generate(scale: Scale, seed: int = 1) -> None:
    build_structure(scale, random.Random(seed))  # noqa: S311 - benchmark data
    build_people(scale)
    build_activity(today())


def today() -> dt.date:
    return dt.date(2025, 9, 30)
