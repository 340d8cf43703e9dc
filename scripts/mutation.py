"""Mutation testing of the modules that carry the rules: ``make mutation``.

    .venv/bin/python scripts/mutation.py                      # every module
    .venv/bin/python scripts/mutation.py --module rotation/rules.py [--module ...]
    .venv/bin/python scripts/mutation.py --module reports/periods.py --show-survivors

Each module's functions are mutated one fault at a time (operators below), and each
mutant runs only the tests chosen for its module (``MODULES``), with ``-x``. A mutant is
*killed* when a test fails or the run times out, *survives* when every test passes.
Survivors that cannot change behaviour are listed in ``EQUIVALENT`` with the reason;
the score is killed / (mutants - equivalent). The results go to docs/mutation.json
(kept for the modules not run this time) and docs/mutation.md is written from it.

How it runs, and why it is fast enough for two cores: the parent process imports the
project and collects the tests once, then forks a child per mutant. The child compiles
the mutated module in memory and swaps the code of the one function that changed
(``function.__code__``), so every reference to it - ``from x import f``, a list of rules,
a ``transaction.atomic`` wrapper - runs the mutant; no file is written, so the work tree
(which other people may be editing) is never touched. Code outside functions (constants,
class bodies) is not mutated; string literals are not mutated either (they are messages,
whose wording the translation files and page tests own).

Operators: comparison (``<``/``<=``, ``>``/``>=``, ``==``/``!=``, ``in``/``not in``,
``is``/``is not``), ``and``/``or``, dropping ``not``, arithmetic (``+``/``-``, ``*``/``/``,
``//`` and ``%`` to ``*``), augmented assignment, integer constant + 1, ``True``/``False``,
``min``/``max`` and ``any``/``all``, dropping one keyword argument of a call (a filter's
``pk=`` or ``status=``), and dropping a statement that is a call or a ``raise``.
A line ending in ``# pragma: no mutate`` is skipped.
"""

from __future__ import annotations

import argparse
import ast
import copy
import datetime as dt
import fcntl
import json
import os
import signal
import sys
import time
import types
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "docs" / "mutation.json"
REPORT = ROOT / "docs" / "mutation.md"
COMMAND = "make mutation  (.venv/bin/python scripts/mutation.py [--module PATH])"

SERVICE_TESTS = [
    "tests/rotation/test_workflow.py",
    "tests/rotation/test_rules.py",
    "tests/rotation/test_from_posting.py",
    "tests/rotation/test_apply_resilience.py",
    "tests/rotation/test_daily_job.py",
    "tests/rotation/test_incremental_rules.py",
    "tests/rotation/test_need_to_know.py",
    "tests/rotation/test_services_reviews.py",
    "tests/rotation/test_services_decisions.py",
    "tests/rotation/test_services_movements.py",
    "tests/rotation/test_services_apply.py",
]

# Module (or package folder) -> the tests that exercise it. A mutant runs only these.
MODULES: dict[str, list[str]] = {
    "rotation/rules.py": [
        "tests/rotation/test_rule_boundaries.py",
        "tests/rotation/test_rules.py",
    ],
    "rotation/directions.py": [
        "tests/rotation/test_direction_order.py",
        "tests/rotation/test_directions.py",
        "tests/reports/test_rotation_summary.py",
    ],
    "rotation/services.py": SERVICE_TESTS,
    # rotation/services.py was split by concern; its parts carry the same rules.
    "rotation/services_movements.py": SERVICE_TESTS,
    "rotation/services_apply.py": SERVICE_TESTS,
    "rotation/services_reviews.py": SERVICE_TESTS,
    "personnel/retirement.py": [
        "tests/personnel/test_retirement.py",
        "tests/rotation/test_rule_boundaries.py",
    ],
    "personnel/services.py": [
        "tests/personnel/test_validation_boundaries.py",
        "tests/personnel/test_postings.py",
        "tests/personnel/test_personal_data.py",
        "tests/personnel/test_search_key.py",
    ],
    "personnel/occupancy.py": [
        "tests/personnel/test_occupancy_boundaries.py",
        "tests/personnel/test_tree.py",
        "tests/web/test_units.py",
    ],
    "personnel/terms.py": [
        "tests/personnel/test_terms_and_months.py",
        "tests/reports/test_periods.py",
    ],
    "reports/periods.py": [
        "tests/reports/test_periods.py",
        "tests/reports/test_reports.py",
    ],
    "reports/delivery.py": [
        "tests/reports/test_mut_delivery.py",
        "tests/reports/test_delivery_claims.py",
        "tests/reports/test_delivery.py",
        "tests/reports/test_subscription_recipients.py",
    ],
    # Fast, sharp files first (a mutant stops at its first failure); the slow
    # every-report battery last.
    "reports/definitions/": [
        "tests/reports/test_mut_common.py",
        "tests/reports/test_reports.py",
        "tests/reports/test_definition_boundaries.py",
        "tests/reports/test_rotation_summary.py",
        "tests/reports/test_mut_report_people.py",
        "tests/reports/test_mut_non_local_compliance.py",
        "tests/reports/test_mut_planning_structure.py",
        "tests/reports/test_mut_training_standards.py",
        "tests/reports/test_mut_consultation_serving.py",
        "tests/reports/test_mut_tenure_watchlist.py",
        "tests/reports/test_non_local_targets.py",
        "tests/reports/test_figures.py",
        "tests/reports/test_every_report.py",
    ],
}

# Surviving mutants that cannot change what the code does, by module, keyed as the
# report prints them ("function: original → mutant"), with the reason.
POSTING_CONSTRAINTS = (
    "the posting's only model constraint (end after start) is checked by `_validate_dates` "
    "just before, with the same message"
)
OFFICIAL_UNIQUE = (
    "the unique fields (code, personal number) are checked just before by "
    "`_validate_code_unique` (case-insensitive, so stricter) and `_personal_id_clash`"
)
OFFICIAL_FIELDS = (
    "the row was just read under lock (`_lock_official`) and only the changed fields differ, "
    "so writing every field writes the same row"
)
EQUIVALENT: dict[str, dict[str, str]] = {
    "rotation/rules.py": {
        "check_position_vacant: movement.decision.movements.exclude(…) without pk=": (
            "the movement's own from-posting is a posting of the official being moved, whom "
            "`holders.exclude(official_id=...)` already leaves out; not excluding the movement "
            "from the decision's leaving movements changes no holder"
        ),
    },
    "rotation/directions.py": {
        "_label: LEVEL_RANK[Level(origin)] < LEVEL_RANK[Level(destination)] → "
        "LEVEL_RANK[Level(origin)] <= LEVEL_RANK[Level(destination)]": (
            "equal ranks are the same level, already answered by `origin == destination` above"
        ),
    },
    "rotation/services.py": {
        "decision_update: decision.save(…) without update_fields=": (
            "the decision was just read under lock (`lock_decision`) and only the changed "
            "fields differ, so writing every field writes the same row"
        ),
        "decision_update: sorted(changes) or None → sorted(changes) and None": (
            "as without update_fields: the row was just read under lock, so writing every field "
            "(or, when nothing changed, none) leaves the same row"
        ),
        "decision_request_consultations: decision.save(…) without update_fields=": (
            "the decision was read under lock (`lock_decision`) and only `status` changed on "
            "it (the consultations and findings are other rows): the same row is written"
        ),
        "consultation_answer: consultation.save(…) without update_fields=": (
            "the consultation was just read under lock (`select_for_update`) and only the "
            "three answer fields changed, so writing every field writes the same row"
        ),
        "decision_approve: OrgUnit.objects.filter(…) without pk__in=": (
            "only fetches more names: the answer looks up just the missing units' ids"
        ),
        "decision_approve: decision.save(…) without update_fields=": (
            "the decision was read under lock (`lock_decision`) and every field changed since "
            "is in update_fields: writing every field writes the same row"
        ),
        "decision_approve: _after_commit_notify(…) without by=": (
            "without `by_id` the approval notices audit `decision.approved_by`, which was just "
            "set to `by` (a retry passes the same None along)"
        ),
        "decision_cancel: decision.save(…) without update_fields=": (
            "the decision was read under lock (`lock_decision`) and only the three cancel "
            "fields changed, so writing every field writes the same row"
        ),
    },
    "rotation/services_apply.py": {
        "_end_serving_rotations: earlier.save(…) without update_fields=": (
            "the serving rotations were read just before in this transaction, and an applied "
            "movement's other fields never change (movement_update and refresh_findings act "
            "before approval): writing every field writes the same row"
        ),
        "_movement_apply: previous.end_date > day_before → previous.end_date >= day_before": (
            "when the previous posting already ends the day before, `posting_close` with that "
            "same day rewrites the same end date and recomputes the same current posting"
        ),
        "_movement_apply: movement.save(…) without update_fields=": (
            "the movement was just read under lock (`select_for_update`) and only `applied_at` "
            "and `new_posting` changed, so writing every field writes the same row"
        ),
        "decision_apply_due: movement_apply_retrying(…) without by=": (
            "`by` is used by `_movement_apply` only for `require_role` and `require_manager` on "
            "the same decision, which `decision_apply_due` has already checked for `by`"
        ),
        "movement_end: movement.save(…) without update_fields=": (
            "the movement was just read under lock (`select_for_update`) and only the three "
            "outcome fields changed, so writing every field writes the same row"
        ),
    },
    "rotation/services_reviews.py": {
        "_validate_review: raise ValidationError(_('Đã có đánh giá của kỳ này.')) → (removed)": (
            "`review.full_clean()` just after validates the model's `review_once_per_period` "
            "constraint (same movement, period and year, other rows only) and raises the same "
            "non-field message"
        ),
        "review_update: review.save(…) without update_fields=": (
            "the review was just read under lock (`select_for_update`) and only the changed "
            "fields differ, so writing every field writes the same row"
        ),
        "review_update: sorted(changes) or None → sorted(changes) and None": (
            "as without update_fields: the row was just read under lock, so writing every field "
            "(or, when nothing changed, none) leaves the same row"
        ),
    },
    "rotation/services_movements.py": {
        "_vacated_position_id: …s.filter(pk=movement.from_posting_id).values_list(…) "
        "without flat=": (
            "the value only feeds `to_position_id__in`, whose RelatedIn lookup takes a one-value "
            "tuple's value (`get_normalized_value(...)[0]`); `(None,)` becomes NULL, which "
            "matches nothing: the same siblings are refreshed"
        ),
        "_vacated_position_id: True → False": (
            "flat=False, as above: `to_position_id__in` unpacks the one-value tuple"
        ),
        "_refresh_affected: exclude_pk is not None → exclude_pk is None": (
            "not excluding the changed movement only re-evaluates it against the rows it was "
            "just evaluated and saved with (same findings); `exclude(pk=None)` excludes nothing"
        ),
        "_refresh_affected: affected.exclude(…) without pk=": (
            "not excluding the changed movement only re-evaluates it against the rows it was "
            "just evaluated and saved with, giving the same findings"
        ),
        "_save_movement: movement.full_clean(…) without exclude=": (
            "`findings` is `blank=True` and always the JSON list the service just computed: "
            "validating it too refuses nothing"
        ),
    },
    "personnel/retirement.py": {
        "retirement_age_months: date_of_birth.year + schedule.base_months // 12 → "
        "date_of_birth.year - schedule.base_months // 12": (
            "only where the search for the year starts: the age rises by at most 4 months a "
            "year, so the first year in which the person reaches the age in force is the same "
            "from any earlier start; the loop only turns more often"
        ),
        "retirement_age_months: 12 → 13": (
            "the search starts a few years earlier (base age // 13); as above, the first year "
            "in which the age is reached does not change"
        ),
    },
    "reports/periods.py": {
        "phrase: 2 → 3": (
            "the quarter's number, (month + 2) // 3, is computed only for a period starting "
            "in January, April, July or October, where (month + 3) // 3 gives the same 1–4"
        ),
    },
    "personnel/occupancy.py": {
        "_count_subquery: Subquery(…) without output_field=": (
            "Django infers the integer type of the COUNT subquery by itself"
        ),
        "ancestors_in_scope: OrgUnit.objects.for_user(user).filter(…) without pk__in=": (
            "only fetches more units: the answer keeps just the ancestors' ids"
        ),
        "span: last >= start → last > start": (
            "when the last day is the first, both branches give 0 years 0 months"
        ),
        "position_timeline: posting.end_date > covered_until → posting.end_date >= covered_until": (
            "when the ends are equal, assigning the same day changes nothing"
        ),
    },
    "personnel/services.py": {
        "posting_create: posting.full_clean(…) without validate_constraints=": POSTING_CONSTRAINTS,
        "posting_create: False → True": POSTING_CONSTRAINTS,
        "posting_update: posting.full_clean(…) without validate_constraints=": POSTING_CONSTRAINTS,
        "posting_update: False → True": POSTING_CONSTRAINTS,
        "_save_official: raise clash → (removed)": (
            "the number is unique in the database too: the save then fails and the "
            "IntegrityError handler raises the same `_personal_id_clash` error"
        ),
        "_save_official: official.full_clean(…) without validate_unique=": OFFICIAL_UNIQUE,
        "_save_official: False → True": OFFICIAL_UNIQUE,
        "_save_official: official.save(…) without update_fields=": OFFICIAL_FIELDS,
        "official_update: _save_official(…) without update_fields=": OFFICIAL_FIELDS,
    },
    "reports/delivery.py": {
        "_claim: DeliveryAttempt(…) without kind=": "the field's default is the same `AUTO`",
        "_claim: DeliveryAttempt(…) without requested_at=": (
            "the field's default is `timezone.now`, the same moment to within microseconds"
        ),
        "subscription_save: PeriodicTask(…) without task=": (
            "`task.task = SEND_TASK` is assigned two lines below, before the task is saved"
        ),
        "subscription_save: subscription.save(…) without update_fields=": (
            "the whole row was saved just above in the same transaction and only "
            "`periodic_task` changed since, so writing every field writes the same row"
        ),
    },
    # Keys name the function, not the file: each reason says which file and line it is;
    # the same key in another file of the package is killed (checked in docs/mutation.json).
    "reports/definitions/": {
        "compute: Official.objects.filter(…) without date_of_birth__lte=": (
            "tenure_watchlist.py:42, a prefilter only: `retirement_date` is never earlier than "
            "55 years after birth, so everyone it drops also fails `on < retirement <= horizon`"
        ),
        "compute: horizon - relativedelta(years=YOUNGEST_RETIREMENT_YEARS) → "
        "horizon + relativedelta(years=YOUNGEST_RETIREMENT_YEARS)": (
            "tenure_watchlist.py:44, the same prefilter made wider; the exact check decides"
        ),
        "compute: relativedelta(…) without years=": (
            "tenure_watchlist.py:44, the same prefilter made wider; the exact check decides"
        ),
        "compute: zip(…) without strict=": (
            "tenure_watchlist.py:158, training_standards.py:213, planning_structure.py:156: "
            "both sides are built one item per item of the other, so their lengths are equal"
        ),
        "compute: zip(…) without strict= [2]": (
            "planning_structure.py:187: the three keys and the three share rows, equal lengths"
        ),
        "compute: True → False": (
            "training_standards.py:213 and planning_structure.py:156 (`strict=`, lengths always "
            "equal); consultation_compliance.py:57 (`distinct=` of the answers count: decisions "
            "are filtered by `pk__in`, so consultations are the only join and never repeat)"
        ),
        "compute: True → False [2]": (
            "tenure_watchlist.py:158 and planning_structure.py:187 (`strict=`, equal lengths); "
            "consultation_compliance.py:67 (`distinct=` of cadres per decision: `movement_add` "
            "refuses a second leg of one official in a decision)"
        ),
        "compute: Count(…) without distinct=": (
            "consultation_compliance.py:56: decisions are filtered by `pk__in`, so the answers "
            "count joins consultations only and no consultation row repeats"
        ),
        "compute: Count(…) without distinct= [2]": (
            "consultation_compliance.py:67: `movement_add` refuses a second leg of one official "
            "in a decision, so movements per decision are cadres per decision"
        ),
        "compute: 0 → 1": (
            "consultation_compliance.py:98: a decision is listed only when it or one of its "
            "movements is in the scope, the condition `_movements` counts by, and an approved "
            "decision has movements that cannot be removed: the default of `cadres.get` is unused"
        ),
        "compute: 0 → 1 [2]": "consultation_compliance.py:133: as for line 98",
        "compute: _movements(ctx).filter(…) without decision__in=": (
            "consultation_compliance.py:63: `cadres` is read only with the listed decisions' ids"
        ),
        "compute: RotationReview.objects.filter(…) without movement__in=": (
            "rotated_serving.py:25: `reviewed` is probed only with the listed movements' ids"
        ),
        "_posts: Posting.objects.filter(…) without position__in=": (
            "non_local_compliance.py:36: `holders` is read only with the listed positions' ids"
        ),
        "people: 0 → 1": (
            "training_standards.py:106: `standards(0)` is read for its keys only, not targets"
        ),
        "_sentence: 0 → 1": (
            "rotation_summary.py:100: a kind has movements exactly when it has cadres, so "
            "filtering on the count of either keeps the same kinds"
        ),
        "_sentence: 0 → 1 [4]": (
            "rotation_summary.py:100: the second item of the `(0, 0)` default is never read"
        ),
        "_tier_kind_table: 0 → 1 [5]": (
            "rotation_summary.py:127: the second item of the `(0, 0)` default is never read"
        ),
        "_tier_kind_table: 0 → 1 [7]": (
            "rotation_summary.py:139: the second item of the `(0, 0)` default is never read"
        ),
        "compute: 0 → 1 [14]": (
            "rotation_summary.py:228: the second item of the `(0, 0)` default is never read"
        ),
        "compute: 0 → 1 [15]": (
            "rotation_summary.py:230: the first item of the `(0, 0)` default is never read"
        ),
        "_tier_kind_table: zip(…) without strict=": (
            "rotation_summary.py:145: `kind_totals` is built one item per kind"
        ),
        "_tier_kind_table: zip(…) without strict= [2]": (
            "rotation_summary.py:135: `counts` is built one item per kind"
        ),
        "_tier_kind_table: True → False [7]": (
            "rotation_summary.py:145: `strict=`, `kind_totals` has one item per kind"
        ),
        "_tier_kind_table: True → False [8]": (
            "rotation_summary.py:135: `strict=`, `counts` has one item per kind"
        ),
    },
    "personnel/terms.py": {
        "term_on: day > known[-1].end → day >= known[-1].end": (
            "a day equal to the last configured term's end lies inside that term and is "
            "returned by the loop above; the comparison never sees it"
        ),
    },
}

# The survivors that issue 10 found, and the tests that now kill them.
ISSUE_SURVIVORS = [
    (
        "`position_id=` dropped from the post-held check (rotation/rules.py)",
        "tests/rotation/test_rule_boundaries.py::TestPostHeld::"
        "test_a_holder_of_another_post_does_not_fill_this_one",
    ),
    (
        "`official_id=` dropped from the in-planning check (rotation/rules.py)",
        "tests/rotation/test_rule_boundaries.py::TestPlanningTerm::"
        "test_someone_elses_planning_does_not_count",
    ),
    (
        "10-year and 5-year working-life thresholds, `>=` → `>`",
        "tests/rotation/test_rule_boundaries.py::TestWorkingLifeThresholds",
    ),
    (
        "36-month secondment limit at the boundary",
        "tests/rotation/test_rule_boundaries.py::TestTerms::"
        "test_a_secondment_lasts_at_most_36_months",
    ),
    (
        "the last year of a planning term",
        "tests/rotation/test_rule_boundaries.py::TestPlanningTerm::"
        "test_a_planning_entry_covers_every_year_of_its_term",
    ),
    (
        "the two-term date",
        "tests/rotation/test_rule_boundaries.py::TestTwoTermDate",
    ),
    (
        "`posting_close(end_date=None)` reopening a posting (refused with a Vietnamese message)",
        "tests/personnel/test_validation_boundaries.py::TestPostings::"
        "test_closing_cannot_reopen_a_closed_posting",
    ),
    (
        "age and Party-date boundaries of `official_validate`",
        "tests/personnel/test_validation_boundaries.py::TestAge, ::TestPartyDates",
    ),
    (
        "the delivery claim without `pk=` or without its status guard",
        "tests/reports/test_delivery_claims.py::TestClaim",
    ),
    (
        "inactive users and users without email receiving reports",
        "tests/reports/test_delivery_claims.py::TestRecipients::"
        "test_inactive_users_and_users_without_an_address_receive_nothing",
    ),
    (
        "last month, last quarter and the quarter/month/year wording of periods",
        "tests/reports/test_periods.py",
    ),
    (
        "retired officials counted as in service (personnel/occupancy.py)",
        "tests/personnel/test_occupancy_boundaries.py::TestOfficialsInService::"
        "test_retired_officials_are_not_counted",
    ),
    (
        "planned candidates not filtered by term",
        "tests/personnel/test_occupancy_boundaries.py::TestPlannedCandidates",
    ),
    (
        "rotation_summary's sentence counting movements instead of cadres per direction",
        "tests/reports/test_definition_boundaries.py::"
        "test_the_sentence_counts_cadres_per_direction_not_movements",
    ),
]

PYTEST_ARGS = ["-x", "-q", "-p", "no:cacheprovider", "--nomigrations", "--no-header"]


# --- mutants -----------------------------------------------------------------------

COMPARE_SWAP = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
BINOP_SWAP = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
    ast.FloorDiv: ast.Mult,
    ast.Mod: ast.Mult,
}
NAME_SWAP = {"min": "max", "max": "min", "any": "all", "all": "any"}


@dataclass
class Mutant:
    module: str  # dotted
    path: str  # relative file path
    qualname: str  # outermost function or method that changes
    lineno: int
    key: str  # "qualname: original → mutant", unique in the module
    function_index: int  # the function node's index in ast.walk(module)
    node_index: int  # the mutated node's index in ast.walk(function)
    variant: int  # which of the node's mutations


def _src(node: ast.AST) -> str:
    text = ast.unparse(node)
    text = " ".join(text.split())
    return text if len(text) <= 90 else text[:87] + "..."


def _is_text(node: ast.AST) -> bool:
    return isinstance(node, ast.Call | ast.JoinedStr) or (
        isinstance(node, ast.Constant) and isinstance(node.value, str)
    )


def _label(node: ast.AST, new: ast.AST | None) -> str:
    if new is None:
        return f"{_src(node)} → (removed)"
    if isinstance(node, ast.Call) and len(new.keywords) < len(node.keywords):
        names = [k.arg for k in new.keywords]
        gone = next(
            k.arg for i, k in enumerate(node.keywords) if i >= len(names) or names[i] != k.arg
        )
        func = " ".join(ast.unparse(node.func).split())
        func = func if len(func) <= 50 else "…" + func[-49:]
        return f"{func}(…) without {gone}="
    return f"{_src(node)} → {_src(new)}"


def _mutations(node: ast.AST) -> list[ast.AST | None]:
    """The mutated replacements of ``node`` (None: the statement is dropped)."""
    out: list[ast.AST | None] = []
    if isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            swap = COMPARE_SWAP.get(type(op))
            if swap:
                new = copy.deepcopy(node)
                new.ops[i] = swap()
                out.append(new)
    elif isinstance(node, ast.BoolOp):
        new = copy.deepcopy(node)
        new.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        out.append(new)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        out.append(copy.deepcopy(node.operand))
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and _is_text(node.left):
        pass  # "message %(x)s" % values: formatting, not arithmetic
    elif isinstance(node, ast.BinOp | ast.AugAssign) and type(node.op) in BINOP_SWAP:
        new = copy.deepcopy(node)
        new.op = BINOP_SWAP[type(node.op)]()
        out.append(new)
    elif isinstance(node, ast.Constant):
        if isinstance(node.value, bool):
            out.append(ast.Constant(not node.value))
        elif isinstance(node.value, int):
            out.append(ast.Constant(node.value + 1))
    elif isinstance(node, ast.Call):
        if isinstance(node.func, ast.Name) and node.func.id in NAME_SWAP:
            new = copy.deepcopy(node)
            new.func.id = NAME_SWAP[node.func.id]
            out.append(new)
        for i, keyword in enumerate(node.keywords):
            if keyword.arg is not None:
                new = copy.deepcopy(node)
                del new.keywords[i]
                out.append(new)
    elif isinstance(node, ast.Raise) or (
        isinstance(node, ast.Expr) and isinstance(node.value, ast.Call | ast.Await)
    ):
        out.append(None)  # the statement is dropped
    return out


def _skipped_nodes(function: ast.AST) -> set[int]:
    """Docstrings, decorators, default values and annotations are not mutated."""
    skip: set[int] = set()
    for node in ast.walk(function):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            parts = [*node.args.defaults, *[d for d in node.args.kw_defaults if d]]
            if not isinstance(node, ast.Lambda):
                parts += node.decorator_list
                if node.returns:
                    parts.append(node.returns)
                body = node.body
                if (
                    body
                    and isinstance(body[0], ast.Expr)
                    and isinstance(body[0].value, ast.Constant)
                ):
                    parts.append(body[0])
            for arg in [*node.args.args, *node.args.kwonlyargs, *node.args.posonlyargs]:
                if arg.annotation:
                    parts.append(arg.annotation)
            for part in parts:
                skip.update(id(sub) for sub in ast.walk(part))
        elif isinstance(node, ast.AnnAssign):
            skip.update(id(sub) for sub in ast.walk(node.annotation))
    return skip


def _functions(tree: ast.Module):
    """(index in ast.walk(tree), qualname, node) of every top-level function and method."""
    index = {id(node): i for i, node in enumerate(ast.walk(tree))}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield index[id(node)], node.name, node
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    yield index[id(item)], f"{node.name}.{item.name}", item


def module_mutants(path: str) -> list[Mutant]:
    source = (ROOT / path).read_text()
    lines = source.splitlines()
    tree = ast.parse(source)
    dotted = path.removesuffix(".py").replace("/", ".")
    mutants: list[Mutant] = []
    seen: dict[str, int] = {}
    for function_index, qualname, function in _functions(tree):
        skip = _skipped_nodes(function)
        for node_index, node in enumerate(ast.walk(function)):
            if id(node) in skip or node is function:
                continue
            lineno = getattr(node, "lineno", function.lineno)
            if lines[lineno - 1].rstrip().endswith("# pragma: no mutate"):
                continue
            for variant, new in enumerate(_mutations(node)):
                label = f"{qualname}: {_label(node, new)}"
                seen[label] = seen.get(label, 0) + 1
                if seen[label] > 1:
                    label = f"{label} [{seen[label]}]"
                mutants.append(
                    Mutant(
                        dotted, path, qualname, lineno, label, function_index, node_index, variant
                    )
                )
    return mutants


def mutated_code(mutant: Mutant) -> types.CodeType:
    """The code object of the mutated function, compiled from the mutated module."""
    tree = ast.parse((ROOT / mutant.path).read_text())
    function = list(ast.walk(tree))[mutant.function_index]
    target = list(ast.walk(function))[mutant.node_index]
    new = _mutations(target)[mutant.variant]
    for parent in ast.walk(function):
        for name, value in ast.iter_fields(parent):
            if value is target:
                setattr(parent, name, new)
            elif isinstance(value, list) and any(v is target for v in value):
                i = next(i for i, v in enumerate(value) if v is target)
                if new is None:
                    value[i] = ast.Pass()
                    ast.copy_location(value[i], target)
                else:
                    value[i] = new
    ast.fix_missing_locations(tree)
    code = compile(tree, str(ROOT / mutant.path), "exec")
    found = _find_code(code, mutant.qualname)
    if found is None:
        raise LookupError(f"no code for {mutant.qualname} in {mutant.path}")
    return found


def _find_code(code: types.CodeType, qualname: str) -> types.CodeType | None:
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            if const.co_qualname == qualname:
                return const
            found = _find_code(const, qualname)
            if found is not None:
                return found
    return None


def _function_object(module, qualname: str):
    owner, *rest = qualname.split(".")
    obj = getattr(module, owner)
    if rest:
        obj = obj.__dict__[rest[0]]
        if isinstance(obj, property):
            obj = obj.fget
        elif isinstance(obj, classmethod | staticmethod):
            obj = obj.__func__
    while hasattr(obj, "__wrapped__"):
        obj = obj.__wrapped__
    return obj


def apply(mutant: Mutant) -> None:
    import importlib

    module = importlib.import_module(mutant.module)
    _function_object(module, mutant.qualname).__code__ = mutated_code(mutant)


# --- running -----------------------------------------------------------------------


def _tests_of(target: str) -> list[str]:
    return [t for t in MODULES[target] if (ROOT / t).exists()]


def _files_of(target: str) -> list[str]:
    if target.endswith("/"):
        return sorted(
            str(p.relative_to(ROOT))
            for p in (ROOT / target).glob("*.py")
            if p.name != "__init__.py"
        )
    return [target]


def _run_child(tests: list[str], mutant: Mutant | None, log: Path) -> int:
    """In a forked child: apply the mutant, run the tests, exit with pytest's code."""
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    try:
        import pytest

        if mutant is not None:
            apply(mutant)
        code = int(pytest.main([*PYTEST_ARGS, *tests]))
    except BaseException as error:  # noqa: BLE001 - any failure to run is reported by code
        print(f"mutation runner: {error!r}", flush=True)
        code = 99
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


class Pool:
    """At most ``jobs`` forked children at a time, each killed after its time limit."""

    def __init__(self, jobs: int, logs: Path):
        self.jobs, self.logs = jobs, logs
        self.running: dict[int, tuple[object, float, float]] = {}
        self.done: list[tuple[object, str, float]] = []

    def submit(self, tag, tests: list[str], mutant: Mutant | None, limit: float) -> None:
        while len(self.running) >= self.jobs:
            self._reap()
        log = self.logs / f"{len(self.done) + len(self.running)}.log"
        pid = os.fork()
        if pid == 0:
            _run_child(tests, mutant, log)
        self.running[pid] = (tag, time.monotonic(), limit)

    def _reap(self) -> None:
        while True:
            for pid, (tag, started, limit) in list(self.running.items()):
                done, status = os.waitpid(pid, os.WNOHANG)
                elapsed = time.monotonic() - started
                if done:
                    code = os.waitstatus_to_exitcode(status)
                    outcome = {0: "survived", 1: "killed", 5: "no tests"}.get(code, f"error {code}")
                    if code < 0:
                        outcome = "killed"  # crashed: the mutant broke the process
                    self.done.append((tag, outcome, elapsed))
                    del self.running[pid]
                    return
                if elapsed > limit:
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
                    self.done.append((tag, "timeout", elapsed))
                    del self.running[pid]
                    return
            time.sleep(0.02)

    def drain(self):
        while self.running:
            self._reap()
        done, self.done = self.done, []
        return done


def warm_up(tests: list[str]) -> None:
    """Import Django, the project and the tests once, so that each fork starts warm."""
    import pytest

    devnull = os.open(os.devnull, os.O_WRONLY)
    saved = os.dup(1), os.dup(2)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    try:
        pytest.main(["-q", "--collect-only", "-p", "no:cacheprovider", *tests])
    finally:
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)


def run_target(target: str, jobs: int, logs: Path, verbose: bool, only: str = "") -> dict:
    tests = _tests_of(target)
    mutants = [m for path in _files_of(target) for m in module_mutants(path) if only in m.key]
    pool = Pool(jobs, logs)
    started = time.monotonic()
    pool.submit("clean", tests, None, 600)
    (_, outcome, clean_seconds), *_ = pool.drain()
    if outcome != "survived":
        raise SystemExit(f"{target}: the tests fail without any mutant ({outcome}); see {logs}")
    limit = 3 * clean_seconds + 10
    print(f"{target}: {len(mutants)} mutants, tests {clean_seconds:.1f} s", flush=True)
    results: dict[str, str] = {}
    for i, mutant in enumerate(mutants, 1):
        pool.submit(mutant, tests, mutant, limit)
        if verbose and i % 25 == 0:
            print(f"  {i}/{len(mutants)}", flush=True)
    for tag, outcome, _seconds in pool.drain():
        results[tag.key] = outcome
    errors = {k: v for k, v in results.items() if v.startswith(("error", "no tests"))}
    if errors:
        print(f"  {len(errors)} mutants did not run cleanly: {list(errors.items())[:5]}")
    survivors = sorted(
        (m for m in mutants if results[m.key] == "survived"), key=lambda m: (m.path, m.lineno)
    )
    return {
        "module": target,
        "mutants": len(mutants),
        "killed": sum(1 for v in results.values() if v in ("killed", "timeout")),
        "errors": len(errors),
        # Every survivor; which of them are equivalent is decided when the report is written.
        "survived": [{"key": m.key, "file": m.path, "line": m.lineno} for m in survivors],
        "tests": tests,
        "seconds": round(time.monotonic() - started),
    }


def split(row: dict) -> tuple[list[dict], list[dict]]:
    """(survivors, equivalent survivors with their reason) of a module's row."""
    equivalent = EQUIVALENT.get(row["module"], {})
    alive = [m for m in row["survived"] if m["key"] not in equivalent]
    same = [
        {**m, "reason": equivalent[m["key"]]} for m in row["survived"] if m["key"] in equivalent
    ]
    return alive, same


def score(row: dict) -> float:
    counted = row["mutants"] - len(split(row)[1])
    return 100.0 * row["killed"] / counted if counted else 100.0


def write_report(rows: dict[str, dict]) -> None:
    ordered = [rows[m] for m in MODULES if m in rows]
    lines = [
        "# Mutation testing",
        "",
        "Written by `scripts/mutation.py`; do not edit by hand. Command:",
        "",
        "    make mutation                          # every module (about 3 hours on 2 cores)",
        "    make mutation MODULE=rotation/rules.py # one module; the other rows are kept",
        "",
        "Each mutant changes one thing in one function (a comparison, a boundary, `and`/`or`,",
        "a `not`, arithmetic, an integer constant, `True`/`False`, `min`/`max`, a keyword",
        "argument of a call dropped, a call or `raise` statement dropped) and runs only the",
        "tests listed for its module, stopping at the first failure. Messages (string",
        "literals) and code outside functions are not mutated. Score = killed / (mutants -",
        "equivalent); a timeout counts as killed. Target: at least 90% in every module.",
        "",
        "| module | mutants | killed | survived | equivalent | score | run on |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in ordered:
        alive, same = split(row)
        lines.append(
            f"| `{row['module']}` | {row['mutants']} | {row['killed']} | {len(alive)} "
            f"| {len(same)} | {score(row):.1f}% | {row['date']} |"
        )
    for module in MODULES:
        if module not in rows:
            lines.append(f"| `{module}` | | | | | not run yet | |")
    lines += ["", "## The survivors issue 10 found, and the tests that kill them", ""]
    lines += [f"- {what}: `{test}`" for what, test in ISSUE_SURVIVORS]
    lines += ["", "## Tests run per module", ""]
    for row in ordered:
        lines.append(f"- `{row['module']}`: " + ", ".join(f"`{t}`" for t in row["tests"]))
    lines += ["", "## Equivalent mutants", ""]
    any_equivalent = False
    for row in ordered:
        for m in split(row)[1]:
            any_equivalent = True
            lines.append(f"- `{m['file']}:{m['line']}` `{m['key']}`: {m['reason']}")
    if not any_equivalent:
        lines.append("None.")
    lines += ["", "## Surviving mutants (not killed, not equivalent)", ""]
    any_survivor = False
    for row in ordered:
        for m in split(row)[0]:
            any_survivor = True
            lines.append(f"- `{m['file']}:{m['line']}` `{m['key']}`")
    if not any_survivor:
        lines.append("None.")
    REPORT.write_text("\n".join(lines) + "\n")


def save_row(target: str, row: dict) -> None:
    """Store one module's row, re-reading the file under a lock: two runs of different
    modules at once both keep their rows."""
    with open(RESULTS.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        rows = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
        rows[target] = row
        RESULTS.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
        write_report(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--module", action="append", choices=list(MODULES), help="repeatable")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--list", action="store_true", help="list the mutants and stop")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--report", action="store_true", help="rewrite the report only")
    parser.add_argument(
        "--only", default="", help="run the mutants whose name contains this text; saves nothing"
    )
    args = parser.parse_args()
    targets = args.module or list(MODULES)
    if args.report:
        write_report(json.loads(RESULTS.read_text()))
        return

    if args.list:
        for target in targets:
            for path in _files_of(target):
                for m in module_mutants(path):
                    print(f"{m.path}:{m.lineno}  {m.key}")
        return

    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    logs = ROOT / "var" / "mutation"
    logs.mkdir(parents=True, exist_ok=True)
    warm_up(sorted({t for target in targets for t in _tests_of(target)}))
    for target in targets:
        row = run_target(target, args.jobs, logs, args.verbose, args.only)
        row["date"] = dt.date.today().isoformat()  # noqa: DTZ011 - the local date of the run
        if not args.only:
            save_row(target, row)
        alive, same = split(row)
        print(
            f"  killed {row['killed']}/{row['mutants']}, survived {len(alive)}, "
            f"equivalent {len(same)}: {score(row):.1f}% ({row['seconds']} s)",
            flush=True,
        )
        for m in alive:
            print(f"    {m['file']}:{m['line']}  {m['key']}")


if __name__ == "__main__":
    main()
