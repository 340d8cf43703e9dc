"""The scope and role matrix (issue 8): every URL pattern, every door, every role.

Every URL pattern of the project is enumerated from ``get_resolver()`` and filled with
objects of district A (in scope) and of its sibling district B (out of scope), then

- GET by A's viewer, officer, approver and administrator, a user with no scope and an
  inactive user must show none of the canary names planted on B's personal data, and an
  out-of-scope object must answer 404 (403 only when the same user gets 403 for A's
  object too; an inactive user is sent to the login page); no 500 anywhere;
- every POST by a user without the right (a viewer on A's objects, any A user on B's or
  on the province's, non-administrators on administrators' tables, a user with no scope,
  an inactive user) must change no row of any table (table fingerprints);
- a superuser reaches every filled URL (no 404: the filler makes real URLs).

A URL pattern the tables below do not know how to fill fails ``test_every_url_pattern_is_known``
(and every other test of the module): a new URL cannot escape the matrix. Every request
runs in a savepoint rolled back afterwards, so one leaky POST cannot spoil the next.
"""

import itertools
import logging
import time
from collections import defaultdict
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction
from django.db.transaction import TransactionManagementError
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.http import urlencode

from accounts.choices import ROLE_RANK, Role
from personnel.models import Discipline, Evaluation, PlanningEntry, Reward, TrainingRecord
from reports import registry
from reports.models import NonLocalTarget
from rotation.models import MovementSummaryStatus
from tests.accounts.matrix_support import (
    CANARY_WORD,
    Entry,
    build_world,
    changed_tables,
    fingerprint,
    fingerprinted_models,
    post_form_of,
    response_text,
    walk_urlconf,
)

# The test database is set up for marked tests only; the world itself is built once per
# module by the ``matrix`` fixture, in a transaction rolled back at the end.
pytestmark = pytest.mark.django_db

# Patterns that take no personal data or are public, each with its reason.
EXEMPT = {
    "login": "public login page; no personal data",
    "logout": "ends the session; no personal data",
    "set_language": "stores the user's own language choice only",
    "admin:login": "public admin login page; no personal data",
    "admin:logout": "ends the session; no personal data",
    "admin:jsi18n": "static JavaScript translation catalogue",
}

# Who requests what: the A users, and the users who must see nothing.
# GET: the viewer, officer and administrator of A (the approver reads what the officer
# reads), a user with no scope and an inactive one. POST: every role of A, the province's
# viewer, no scope, inactive.
A_USERS = ("viewer_a", "officer_a", "approver_a", "admin_a")
GET_USERS = ("viewer_a", "officer_a", "admin_a", "noscope", "inactive")
CANARY_CHECKED = GET_USERS
POST_USERS = ("viewer_a", "officer_a", "admin_a", "noscope", "inactive")
# the approver and the province's viewer post where their role is what is refused
APPROVAL_KEYS = {"decision_approve", "admin:rotation_decision_changelist"}
ROLES = {
    "viewer_a": Role.VIEWER,
    "officer_a": Role.OFFICER,
    "approver_a": Role.APPROVER,
    "admin_a": Role.ADMINISTRATOR,
    "province_viewer": Role.VIEWER,
}


@dataclass
class Target:
    """A filled URL: ``side`` a/b (or None: no object), ``owner`` who may change it."""

    url: str
    side: str | None = None
    owner: str | None = None  # "a", "b", "p" (the province's: A reads, cannot change)
    scoped: bool = False  # an out-of-scope side must answer 404
    no_redirect: bool = False  # out of scope: not even a redirect (existence oracle)
    label: str = ""
    # POST only
    kind: str = "form"  # form | create | delete | action | none
    action: str | None = None
    selected: int | None = None
    data: dict = field(default_factory=dict)  # fields set on top of the scraped form
    users: tuple | None = None  # restrict the posting users (special cases)


# --- objects of each side, per admin-registered model ---------------------------------

SCOPED = True


def admin_objects(w):
    """model label -> (scoped, {"a": [(obj, owner)], "b": [(obj, owner)]})."""
    if not hasattr(w, "admin_objects"):
        w.admin_objects = _admin_objects(w)
    return w.admin_objects


def _admin_objects(w):
    d, o = w.decisions, w.officials
    u = w.users

    def pair(a, b, scoped=SCOPED, owner_a="a", owner_b="b"):
        return scoped, {"a": [(a, owner_a)], "b": [(b, owner_b)]}

    posting_a = o.a1.current_posting
    posting_b = o.b1.current_posting
    summary_status = MovementSummaryStatus.objects.get_or_create(pk=1)[0]
    table = {
        "personnel.locality": pair(w.localities.a, w.localities.b, scoped=False, owner_a=None,
                                   owner_b=None),
        "personnel.sector": pair(w.sectors.party, w.sectors.party, scoped=False, owner_a=None,
                                 owner_b=None),
        "personnel.posttype": pair(w.positions.a_deputy.post_type, w.positions.b_deputy.post_type,
                                   scoped=False, owner_a=None, owner_b=None),
        "reports.nonlocaltarget": pair(*[NonLocalTarget.objects.order_by("pk").first()] * 2,
                                       scoped=False, owner_a=None, owner_b=None),
        "personnel.orgunit": pair(w.units.a, w.units.b),
        "personnel.position": pair(w.positions.a_deputy, w.positions.b_deputy),
        "personnel.official": pair(o.a1, o.b1),
        "personnel.posting": pair(posting_a, posting_b),
        "personnel.trainingrecord": pair(TrainingRecord.objects.get(official=o.a1),
                                         TrainingRecord.objects.get(official=o.b1)),
        "personnel.evaluation": pair(Evaluation.objects.get(official=o.a1),
                                     Evaluation.objects.get(official=o.b1)),
        "personnel.discipline": pair(Discipline.objects.get(official=o.a1),
                                     Discipline.objects.get(official=o.b1)),
        "personnel.reward": pair(Reward.objects.get(official=o.a1),
                                 Reward.objects.get(official=o.b1)),
        "personnel.reorganisation": pair(w.reorganisations.a, w.reorganisations.b),
        "personnel.recordimport": pair(w.imports.a, w.imports.b),
        "personnel.columnmapping": pair(w.mappings.a, w.mappings.b),
        "personnel.planningentry": pair(PlanningEntry.objects.get(official=o.a1),
                                        PlanningEntry.objects.get(official=o.b1)),
        "rotation.decision": (
            SCOPED,
            {
                "a": [(d.a_draft, "a"), (d.a_appr, "a"), (d.mixed, "p")],
                "b": [(d.b_cons, "b")],
            },
        ),
        "rotation.movement": (
            SCOPED,
            {
                "a": [(d.a_draft_m, "a"), (d.mixed_m_a, "p")],
                "b": [(d.b_draft_m, "b"), (d.mixed_m_b, "p")],
            },
        ),
        "rotation.consultation": (
            SCOPED,
            {
                "a": [(w.consultations.a, "a"), (w.consultations.mixed_a, "a")],
                "b": [(w.consultations.b, "b"), (w.consultations.mixed_b, "p")],
            },
        ),
        "rotation.rotationreview": pair(w.reviews.a, w.reviews.b),
        "rotation.alert": pair(w.alerts.a, w.alerts.b),
        "reports.reportrun": pair(w.runs.a, w.runs.b),
        "reports.subscription": pair(w.subscriptions.a, w.subscriptions.b),
        "reports.delivery": pair(w.deliveries.a, w.deliveries.b),
        "accounts.user": pair(u.clerk_a, u.viewer_b),
        "accounts.apitoken": pair(w.tokens.a, w.tokens.b),
        "accounts.auditevent": pair(w.audit.a, w.audit.b, scoped=False, owner_a=None,
                                    owner_b=None),
        "auth.group": pair(w.group, w.group, scoped=False, owner_a=None, owner_b=None),
        "rotation.movementsummarystatus": pair(summary_status, summary_status, scoped=False,
                                               owner_a=None, owner_b=None),
        "django_celery_beat.periodictask": pair(w.periodic_tasks.a, w.periodic_tasks.b,
                                                scoped=False, owner_a=None, owner_b=None),
    }  # fmt: skip
    for name in ("crontab", "interval", "solar", "clocked"):
        obj = getattr(w.schedules, name)
        table[f"django_celery_beat.{obj._meta.model_name}"] = pair(
            obj, obj, scoped=False, owner_a=None, owner_b=None
        )
    for (label, side), obj in w.extra.items():
        scoped_, sides = table.setdefault(label, (False, {"a": [], "b": []}))
        sides[side].append((obj, None))
    return table


# Models nobody but a superuser may write through the admin (what each refuses).
READ_ONLY = {
    "rotation.movement": {"add", "change", "delete", "simple_history"},
    "rotation.consultation": {"add", "change", "simple_history"},
    "reports.reportrun": {"add", "change"},
    "reports.delivery": {"add", "change"},
    "rotation.alert": {"add"},
    "accounts.auditevent": {"add", "change", "delete"},
    "auth.group": {"add", "change", "delete", "action"},
    "accounts.apitoken": {"change"},  # a key is issued or revoked, never edited
    "rotation.movementsummarystatus": {"add", "change", "delete"},  # written by the rebuild
}
SUPERUSER_ONLY = {"auth.group", "rotation.movementsummarystatus"}
# Administrators' tables: reference data and users (schedules and lockouts are superusers').
ADMIN_ONLY = {
    "personnel.locality",
    "personnel.sector",
    "personnel.posttype",
    "personnel.reorganisation",
    "reports.nonlocaltarget",
    "accounts.user",
    "accounts.apitoken",
    "accounts.auditevent",
    "django_celery_beat.periodictask",
    "django_celery_beat.crontabschedule",
    "django_celery_beat.intervalschedule",
    "django_celery_beat.solarschedule",
    "django_celery_beat.clockedschedule",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
}

# The parts of an official's record edited on the profile page (personnel.views.official_records).
RECORD_MODELS = {
    "posting": None,  # the official's current posting
    "training": TrainingRecord,
    "evaluation": Evaluation,
    "planning": PlanningEntry,
    "discipline": Discipline,
    "reward": Reward,
}

# Staff pages: the role each POST needs (None: any logged-in staff user in scope).
STAFF_POST_ROLE = {
    "official_create": Role.OFFICER,
    "official_update": Role.OFFICER,
    "decision_create": Role.OFFICER,
    "decision_update": Role.OFFICER,
    "movement_add": Role.OFFICER,
    "movement_check": Role.OFFICER,
    "movement_update": Role.OFFICER,
    "movement_check_existing": Role.OFFICER,
    "movement_remove": Role.OFFICER,
    "decision_request_consultations": Role.OFFICER,
    "decision_approve": Role.APPROVER,
    "decision_apply": Role.OFFICER,
    "decision_cancel": Role.OFFICER,
    "consultation_answer": Role.OFFICER,
    "report_run": Role.VIEWER,
    "subscription_create": Role.OFFICER,
    "subscription_update": Role.OFFICER,
    "subscription_toggle": Role.OFFICER,
    "subscription_send": Role.OFFICER,
    "alert_resolve": Role.OFFICER,
    "reorganisation_create": Role.ADMINISTRATOR,
    "reorganisation_update": Role.ADMINISTRATOR,
    "reorganisation_apply": Role.ADMINISTRATOR,
}

# Extra POST fields per staff URL (on top of the form scraped from the superuser's page).
STAFF_POST_DATA = {
    "decision_approve": {"signed_on": "2024-06-01"},
    "decision_cancel": {"reason": "Không thực hiện nữa"},
    "consultation_answer": {
        "opinion": "disagree",
        "opinion_text": "Ý kiến mới",
        "answered_on": "2024-06-01",
    },
}


# --- fillers -----------------------------------------------------------------------------


class UnknownPattern(Exception):
    pass


def side_objects(w, label):
    table = admin_objects(w)
    if label not in table:
        raise UnknownPattern(f"no objects of {label} on the A and B sides")
    return table[label]


def each_side(items: dict):
    for side in ("a", "b"):
        for obj, owner in items[side]:
            yield side, obj, owner


def staff_targets(w, entry: Entry) -> list[Target]:
    """GET targets of the staff pages, by URL name."""
    d, o = w.decisions, w.officials

    def per_side(pairs, url_of, scoped=True):
        return [
            Target(url_of(obj), side=side, owner=owner, scoped=scoped, label=str(obj.pk))
            for side, items in pairs.items()
            for obj, owner in items
        ]

    def named(name, **kw):
        return lambda obj: reverse(name, kwargs={"pk": obj.pk, **kw})

    officials = {"a": [(o.a1, "a")], "b": [(o.b1, "b")]}
    units = {"a": [(w.units.a, "a")], "b": [(w.units.b, "b")]}
    positions = {"a": [(w.positions.a_deputy, "a")], "b": [(w.positions.b_deputy, "b")]}
    all_decisions = {
        "a": [(d.a_draft, "a"), (d.a_cons, "a"), (d.a_appr, "a"), (d.mixed, "p")],
        "b": [(d.b_draft, "b"), (d.b_cons, "b"), (d.b_appr, "b")],
    }
    drafts = {"a": [(d.a_draft, "a")], "b": [(d.b_draft, "b")]}
    consulting = {"a": [(d.a_cons, "a"), (d.mixed, "p")], "b": [(d.b_cons, "b")]}
    due = {"a": [(d.a_due, "a")], "b": [(d.b_due, "b")]}
    runs = {"a": [(w.runs.a, "a")], "b": [(w.runs.b, "b")]}
    subs = {"a": [(w.subscriptions.a, "a")], "b": [(w.subscriptions.b, "b")]}
    alerts = {"a": [(w.alerts.a, "a")], "b": [(w.alerts.b, "b")]}
    reorgs = {"a": [(w.reorganisations.a, "a")], "b": [(w.reorganisations.b, "b")]}
    imports = {"a": [(w.imports.a, "a")], "b": [(w.imports.b, "b")]}
    export_jobs = {"a": [(w.export_jobs.a, "a")], "b": [(w.export_jobs.b, "b")]}
    consultations = {
        "a": [(w.consultations.a, "a"), (w.consultations.mixed_a, "a")],
        "b": [(w.consultations.b, "b"), (w.consultations.mixed_b, "p")],
    }

    def people_url(run):
        first = registry.row_drills(run.result)[0]
        query = urlencode({"table": first.table["key"], "row": first.row})
        return f"{reverse('report_run_people', kwargs={'pk': run.pk})}?{query}"

    def plain(query=""):
        return [Target(reverse(entry.key) + query)]

    def movement_urls(name):
        pairs = {"a": [(d.a_draft_m, "a")], "b": [(d.b_draft_m, "b")]}
        return per_side(pairs, lambda m: reverse(name, kwargs={"pk": m.decision_id, "mpk": m.pk}))

    def record_rows(kind):
        """The official's row of a part of the record, per side (postings: the current)."""
        rows = {}
        for side, official in (("a", o.a1), ("b", o.b1)):
            if kind == "posting":
                row = official.current_posting
            else:
                row = RECORD_MODELS[kind].objects.get(official=official)
            rows[side] = [(row, side)]
        return rows

    def record_urls(name, kind):
        return per_side(
            record_rows(kind),
            lambda row: reverse(name, kwargs={"pk": row.official_id, "item": row.pk}),
        )

    record_fillers = {}
    for kind in RECORD_MODELS:
        record_fillers[f"official_{kind}_create"] = lambda kind=kind: per_side(
            officials, named(f"official_{kind}_create")
        )
        for verb in ("update", "delete"):
            record_fillers[f"official_{kind}_{verb}"] = lambda kind=kind, verb=verb: record_urls(
                f"official_{kind}_{verb}", kind
            )

    fillers = {
        **record_fillers,
        "official_posting_close": lambda: record_urls("official_posting_close", "posting"),
        "official_photo": lambda: per_side(officials, named("official_photo")),
        "official_roster": lambda: plain() + plain("?format=xlsx"),
        "record_import_upload": plain,
        "record_import_template": plain,
        **{
            name: (lambda name=name: per_side(imports, named(name)))
            for name in (
                "record_import_detail",
                "record_import_progress",
                "record_import_apply",
                "record_import_errors",
                "record_import_mapping",
            )
        },
        "official_photo_upload": lambda: per_side(officials, named("official_photo_upload")),
        "official_photo_remove": lambda: per_side(officials, named("official_photo_remove")),
        "official_list": plain,
        "official_filter_fields": lambda: plain() + plain("?gender=female&unit=1"),
        "official_create": plain,
        "official_export": lambda: plain("?format=xlsx") + plain("?format=csv"),
        **{
            name: (lambda name=name: per_side(export_jobs, named(name)))
            for name in (
                "official_export_job",
                "official_export_job_progress",
                "official_export_download",
            )
        },
        "official_autocomplete": lambda: plain("?q=Canary") + plain("?q="),
        "locality_autocomplete": lambda: plain("?q=Huy"),
        "official_detail": lambda: per_side(officials, named("official_detail")),
        "official_update": lambda: per_side(officials, named("official_update")),
        "official_cv": lambda: per_side(officials, named("official_cv")),
        "unit_tree": plain,
        "unit_autocomplete": lambda: plain("?q=Huy"),
        "unit_detail": lambda: per_side(units, named("unit_detail")),
        "unit_children": lambda: per_side(units, named("unit_children")),
        "position_detail": lambda: per_side(positions, named("position_detail")),
        "position_autocomplete": lambda: plain("?q=B"),
        "decision_list": plain,
        "decision_export": lambda: plain() + plain("?status=approved"),
        "decision_create": plain,
        "decision_detail": lambda: per_side(all_decisions, named("decision_detail")),
        "decision_update": lambda: per_side(drafts, named("decision_update")),
        "movement_add": lambda: per_side(drafts, named("movement_add")),
        "movement_check": lambda: per_side(drafts, named("movement_check")),
        "movement_update": lambda: movement_urls("movement_update"),
        "movement_check_existing": lambda: movement_urls("movement_check_existing"),
        "movement_remove": lambda: movement_urls("movement_remove"),
        "decision_request_consultations": lambda: per_side(
            drafts, named("decision_request_consultations")
        ),
        "decision_approve": lambda: per_side(consulting, named("decision_approve")),
        "decision_apply": lambda: per_side(due, named("decision_apply")),
        "decision_cancel": lambda: per_side(drafts, named("decision_cancel")),
        "consultation_answer": lambda: per_side(consultations, named("consultation_answer")),
        "dashboard": plain,
        "report_catalogue": plain,
        "report_run_detail": lambda: per_side(runs, named("report_run_detail")),
        "report_run_download": lambda: [
            t
            for fmt in ("xlsx", "csv")
            for t in per_side(runs, named("report_run_download", fmt=fmt))
        ],
        "report_run_people": lambda: per_side(
            {"a": [(w.drill_runs.a, "a")], "b": [(w.drill_runs.b, "b")]}, people_url
        ),
        "report_run": lambda: [
            Target(reverse("report_run", kwargs={"code": code})) for code in report_codes()
        ],
        "subscription_list": plain,
        "subscription_create": plain,
        "subscription_update": lambda: per_side(subs, named("subscription_update")),
        "subscription_toggle": lambda: per_side(subs, named("subscription_toggle")),
        "subscription_send": lambda: per_side(subs, named("subscription_send")),
        "alert_list": plain,
        "alert_resolve": lambda: per_side(alerts, named("alert_resolve")),
        "reorganisation_list": plain,
        "reorganisation_create": plain,
        "reorganisation_detail": lambda: per_side(reorgs, named("reorganisation_detail")),
        "reorganisation_update": lambda: per_side(reorgs, named("reorganisation_update")),
        "reorganisation_apply": lambda: per_side(reorgs, named("reorganisation_apply")),
        "vacant_posts": lambda: plain() + plain("?on=01/01/2024"),
    }
    if entry.key not in fillers:
        raise UnknownPattern(f"no filler for URL name {entry.key!r} ({entry.route})")
    return fillers[entry.key]()


def report_codes():
    from reports import registry

    return [d.code for d in registry.all_reports()]


def autocomplete_queries():
    """(app_label, model_name, field_name) of every autocomplete field of the admin."""
    seen = []
    for model, model_admin in admin.site._registry.items():
        sources = [(model, model_admin.autocomplete_fields)]
        sources += [(i.model, i.autocomplete_fields) for i in model_admin.inlines]
        for source, names in sources:
            for name in names:
                key = (source._meta.app_label, source._meta.model_name, name)
                if key not in seen:
                    seen.append(key)
    return seen


def admin_targets(w, entry: Entry) -> list[Target]:
    """GET targets of the admin pages."""
    key = entry.key
    if key == "admin:index" or key.startswith("admin:password_change"):
        return [Target(reverse(key))]
    if key == "admin:app_list":
        labels = sorted({m._meta.app_label for m in admin.site._registry})
        return [Target(reverse(key, kwargs={"app_label": label})) for label in labels]
    if key == "admin:autocomplete":
        base = reverse(key)
        return [
            Target(f"{base}?app_label={a}&model_name={m}&field_name={f}&term={term}")
            for a, m, f in autocomplete_queries()
            for term in ("",)  # every row the remote admin lets the user pick
        ]
    if key in VIEW_ON_SITE:
        targets = []
        for label, (scoped, items) in admin_objects(w).items():
            for side, obj, owner in each_side(items):
                if not hasattr(obj, "get_absolute_url"):
                    continue
                ct = ContentType.objects.get_for_model(obj)
                url = reverse("admin:view_on_site", args=[ct.pk, obj.pk])
                targets.append(
                    Target(url, side=side, owner=owner, scoped=scoped, no_redirect=scoped,
                           label=label)
                )  # fmt: skip
        return targets
    if key == "admin:<catch_all>":
        # without the trailing slash: the catch-all view redirects (APPEND_SLASH)
        scoped, items = side_objects(w, "personnel.official")
        return [
            Target(f"/admin/personnel/official/{obj.pk}/change", side=side, owner=owner,
                   scoped=scoped)
            for side, obj, owner in each_side(items)
        ]  # fmt: skip
    if entry.model is None:
        raise UnknownPattern(f"no filler for admin URL {key!r} ({entry.route})")
    label = entry.model._meta.label_lower
    scoped, items = side_objects(w, label)
    suffix = entry.suffix
    if suffix in ("changelist", "add"):
        return [Target(reverse(key), label=label)]
    if suffix in ("change", "delete", "history"):
        return [
            Target(reverse(key, args=[obj.pk]), side=side, owner=owner, scoped=scoped,
                   label=label)
            for side, obj, owner in each_side(items)
        ]  # fmt: skip
    if suffix == "redirect":
        change = f"admin:{entry.model._meta.app_label}_{entry.model._meta.model_name}_change"
        return [
            Target(reverse(change, args=[obj.pk]).removesuffix("change/"), side=side,
                   owner=owner, scoped=scoped, label=label)
            for side, obj, owner in each_side(items)
        ]  # fmt: skip
    if suffix == "simple_history":
        targets = []
        for side, obj, owner in each_side(items):
            for record in (obj.history.latest(),):
                targets.append(
                    Target(reverse(key, args=[obj.pk, record.history_id]), side=side,
                           owner=owner, scoped=scoped, label=label)
                )  # fmt: skip
        return targets
    if suffix == "password":
        return [
            Target(reverse(key, args=[obj.pk]), side=side, owner=owner, scoped=scoped,
                   label=label)
            for side, obj, owner in each_side(items)
        ]  # fmt: skip
    if suffix == "download":
        return [
            Target(reverse(key, kwargs={"pk": obj.pk, "fmt": fmt}), side=side, owner=owner,
                   scoped=scoped, label=label)
            for fmt in ("xlsx", "csv")
            for side, obj, owner in each_side(items)
        ]  # fmt: skip
    raise UnknownPattern(f"no filler for admin URL {key!r} ({entry.route})")


# --- the REST API --------------------------------------------------------------------------

# Router basename -> the admin label whose A/B objects fill its detail URLs.
API_OBJECTS = {
    "locality": "personnel.locality",
    "sector": "personnel.sector",
    "post-type": "personnel.posttype",
    "org-unit": "personnel.orgunit",
    "position": "personnel.position",
    "official": "personnel.official",
    "national-record": "personnel.official",  # a list only (no detail route)
    "posting": "personnel.posting",
    "training": "personnel.trainingrecord",
    "evaluation": "personnel.evaluation",
    "planning": "personnel.planningentry",
    "discipline": "personnel.discipline",
    "reward": "personnel.reward",
    "decision": "rotation.decision",
    "movement": "rotation.movement",
    "consultation": "rotation.consultation",
    "review": "rotation.rotationreview",
    "report-run": "reports.reportrun",
}
API_PLAIN = {"api:api-root", "api_schema", "api_docs"}
# Workflow actions: the decisions (or answers) each is tried on, and the role it needs.
API_ACTIONS = {
    "decision-request-consultations": ("drafts", Role.OFFICER, {}),
    "decision-approve": ("consulting", Role.APPROVER, {"signed_on": "2024-06-01"}),
    "decision-cancel": ("drafts", Role.APPROVER, {"reason": "Không thực hiện nữa"}),
    "decision-apply": ("due", Role.OFFICER, {}),
    "consultation-answer": (
        "consultations",
        Role.OFFICER,
        {"opinion": "disagree", "opinion_text": "Ý kiến mới", "answered_on": "2024-06-01"},
    ),
}


def is_api(key: str) -> bool:
    return key.startswith("api:") or key in API_PLAIN


def api_targets(w, entry: Entry) -> list[Target]:
    """GET targets of the API, by route name."""
    key = entry.key
    if key in API_PLAIN:
        return [Target(reverse(key))]
    name = key.removeprefix("api:")
    basename, _, suffix = name.rpartition("-")
    if suffix == "list" and basename in API_OBJECTS:
        targets = [Target(reverse(key))]
        if basename == "official":
            targets.append(Target(reverse(key) + "?q=Canary"))
        return targets
    if suffix == "detail" and basename in API_OBJECTS:
        scoped, items = side_objects(w, API_OBJECTS[basename])
        return [
            Target(reverse(key, args=[obj.pk]), side=side, owner=owner, scoped=scoped,
                   label=basename)
            for side, obj, owner in each_side(items)
        ]  # fmt: skip
    if name in API_ACTIONS:
        d = w.decisions
        objects = {
            "drafts": {"a": [(d.a_draft, "a")], "b": [(d.b_draft, "b")]},
            "consulting": {"a": [(d.a_cons, "a"), (d.mixed, "p")], "b": [(d.b_cons, "b")]},
            "due": {"a": [(d.a_due, "a")], "b": [(d.b_due, "b")]},
            "consultations": {
                "a": [(w.consultations.a, "a"), (w.consultations.mixed_a, "a")],
                "b": [(w.consultations.b, "b"), (w.consultations.mixed_b, "p")],
            },
        }[API_ACTIONS[name][0]]
        return [
            Target(reverse(key, args=[obj.pk]), side=side, owner=owner, scoped=True,
                   label=name, kind="api-action", data=dict(API_ACTIONS[name][2]))
            for side, obj, owner in each_side(objects)
        ]  # fmt: skip
    raise UnknownPattern(f"no filler for API URL {key!r} ({entry.route})")


def api_create_payload(basename: str, values: dict) -> dict:
    """A plausible JSON body creating a record of ``basename`` with the side's keys."""
    n = next(_seq)
    official, unit, position = values["official"], values["org_unit"], values["position"]
    return {
        "locality": {"code": f"M{n:05d}", "name": "Xã Mẫu", "level": "commune"},
        "sector": {"code": f"M{n:04d}", "name": "Khối mẫu"},
        "post-type": {"code": f"mau.{n}", "name": "Chức danh mẫu", "kind": "member"},
        "org-unit": {"code": f"MU{n:04d}", "name": "Ban mẫu", "level": "district",
                     "sector": values["sector"], "parent": unit},
        "position": {"org_unit": unit, "post_type": values["post_type"], "title": "Phó ban mẫu"},
        "official": {
            "code": f"MXA{n:04d}",
            "full_name": "Mẫu Người Mới",
            "gender": "male",
            "date_of_birth": "1980-01-01",
            "education_level": "university",
            "first_posting": {"org_unit": unit, "title": "Chuyên viên", "start_date": "2024-01-01"},
        },
        "posting": {
            "official": official,
            "org_unit": unit,
            "title": "Kiêm nhiệm",
            "start_date": "2024-01-01",
            "is_primary": False,
        },
        "training": {
            "official": official,
            "kind": "degree",
            "programme": "Mẫu chương trình",
            "start_date": "2020-01-01",
        },
        "evaluation": {"official": official, "year": 2019, "rating": "good"},
        "planning": {"official": official, "position": position, "term": "2030-2035"},
        "discipline": {"official": official, "kind": "reprimand", "decided_on": "2020-01-01",
                       "basis": "Quyết định mẫu"},
        "reward": {
            "official": official,
            "kind": "certificate",
            "name": "Bằng khen",
            "level": "province",
            "decided_on": "2020-01-01",
        },
        "decision": {"number": f"{n}-QĐ/API", "issued_by": unit, "title": "Mẫu"},
        "movement": {
            "decision": values["decision"],
            "official": official,
            "kind": "rotation",
            "to_position": position,
            "effective_on": "2031-01-01",
        },
        "review": {"movement": values["movement"], "period": "annual", "year": 2024,
                   "rating": "good"},
        "report-run": {"report": "tenure_watchlist", "scope": unit, "date_from": "2024-01-01",
                       "date_to": "2024-12-31"},
    }[basename]  # fmt: skip


# Django admin's "view on site" and the project's scoped one in front of it (same path).
VIEW_ON_SITE = {"admin:view_on_site", "admin_view_on_site_scoped"}


def get_targets(w, entry: Entry) -> list[Target]:
    if entry.key in EXEMPT:
        return []
    if is_api(entry.key):
        return api_targets(w, entry)
    if entry.key.startswith("admin:") or entry.key in VIEW_ON_SITE:
        return admin_targets(w, entry)
    if entry.key.startswith("<unnamed"):
        raise UnknownPattern(f"no filler for unnamed URL pattern {entry.route}")
    return staff_targets(w, entry)


# --- POST targets ------------------------------------------------------------------------

ADMIN_POST_SUFFIXES = {"changelist", "add", "change", "delete", "simple_history", "password"}


def accepts_post(entry: Entry) -> bool:
    if entry.key in EXEMPT:
        return False
    if entry.key == "admin:password_change":
        return True
    if entry.key.startswith("admin:"):
        return entry.suffix in ADMIN_POST_SUFFIXES
    if is_api(entry.key):
        return "post" in (getattr(entry.pattern.callback, "actions", None) or {})
    view_class = entry.view_class
    return view_class is not None and hasattr(view_class, "post")


def side_values(w, side):
    """Foreign keys of a create form, pointing at the side's objects."""
    if side == "a":
        unit, official, position = w.units.a, w.officials.a4, w.positions.a_member
        decision, movement, user = w.decisions.a_draft, w.decisions.a_appr_m, w.users.clerk_a
    else:
        unit, official, position = w.units.b, w.officials.b3, w.positions.b_member
        decision, movement, user = w.decisions.b_draft, w.decisions.b_appr_m, w.users.viewer_b
    return {
        "sector": unit.sector_id,
        "post_type": position.post_type_id,
        "org_unit": unit.pk,
        "scope": unit.pk,
        "issued_by": unit.pk,
        "parent": unit.pk,
        "official": official.pk,
        "position": position.pk,
        "to_position": position.pk,
        "decision": decision.pk,
        "movement": movement.pk,
        "recipients": user.pk,
        "subscription": (w.subscriptions.a if side == "a" else w.subscriptions.b).pk,
        "run": (w.runs.a if side == "a" else w.runs.b).pk,
    }


def post_targets(w, entry: Entry) -> list[Target]:
    if not accepts_post(entry):
        return []
    key = entry.key
    if key == "admin:password_change":
        return [Target(reverse(key), kind="form", data={"old_password": "wrong-password"})]
    if key.startswith("admin:"):
        label = entry.model._meta.label_lower
        scoped, items = side_objects(w, label)
        if entry.suffix == "changelist":
            model_admin = admin.site._registry[entry.model]
            actions = list(model_admin._get_base_actions())
            return [
                Target(reverse(key), side=side, owner=owner, scoped=scoped, kind="action",
                       action=name, selected=obj.pk, label=f"{label} action {name}")
                for _func, name, _desc in actions
                for side, obj, owner in each_side(items)
            ]  # fmt: skip
        if entry.suffix == "add":
            return [
                Target(reverse(key), side=side, owner=side if scoped else None, scoped=scoped,
                       kind="create", label=label)
                for side in ("a", "b")
            ]  # fmt: skip
        targets = get_targets(w, entry)
        for t in targets:
            t.kind = "delete" if entry.suffix == "delete" else "form"
        if entry.suffix == "password":
            for t in targets:
                t.data = {"password1": "Mat-khau-moi-12345", "password2": "Mat-khau-moi-12345"}
        if key == "admin:accounts_user_change":
            # A scoped administrator raising its own rights: superuser, the root scope.
            me = w.users.admin_a
            targets.append(
                Target(reverse(key, args=[me.pk]), side="a", owner="escalation", scoped=True,
                       kind="form", label="own user record",
                       data={"is_superuser": "on", "scope": w.units.province.pk},
                       users=("admin_a",))
            )  # fmt: skip
        return targets
    if is_api(key):
        basename = key.removeprefix("api:").rpartition("-")[0]
        if key.endswith("-list") and API_OBJECTS.get(basename) in ADMIN_ONLY:
            # the province's shared tables: one create, nobody's side
            return [Target(reverse(key), side="a", owner=None, scoped=False, kind="api-create",
                           label=basename)]  # fmt: skip
        if key.endswith("-list"):
            return [
                Target(reverse(key), side=side, owner=side, scoped=True, kind="api-create",
                       label=basename)
                for side in ("a", "b")
            ]  # fmt: skip
        return get_targets(w, entry)
    if key in (
        "official_create",
        "decision_create",
        "subscription_create",
        "reorganisation_create",
    ):
        return [
            Target(reverse(key), side=side, owner=side, scoped=True, kind="create")
            for side in ("a", "b")
        ]
    if key == "report_run":
        return [
            Target(t.url, side=side, owner=side, scoped=True, kind="create")
            for t in get_targets(w, entry)
            for side in ("a", "b")
        ]
    targets = get_targets(w, entry)
    for t in targets:
        t.data = dict(STAFF_POST_DATA.get(key, {}))
    return targets


def required_role(entry: Entry, target: Target):
    """The least role that may make this POST in its own scope; None: nobody (superuser)."""
    if entry.key == "admin:password_change":
        return "self"
    if is_api(entry.key):
        name = entry.key.removeprefix("api:")
        if name in API_ACTIONS:
            return API_ACTIONS[name][1]
        basename = name.rpartition("-")[0]
        if basename == "report-run":
            return Role.VIEWER  # asking for a report, as on the report pages
        return Role.ADMINISTRATOR if API_OBJECTS.get(basename) in ADMIN_ONLY else Role.OFFICER
    if not entry.key.startswith("admin:"):
        return STAFF_POST_ROLE.get(entry.key, Role.OFFICER)
    label = entry.model._meta.label_lower
    action = {
        "changelist": "action",
        "add": "add",
        "change": "change",
        "delete": "delete",
        "simple_history": "simple_history",
        "password": "change",
    }[entry.suffix]
    if action == "action" and target.action == "delete_selected":
        action = "delete"
    if action in READ_ONLY.get(label, ()):
        return None
    if label in SUPERUSER_ONLY or label.startswith(("axes.", "django_celery_beat.")):
        return None  # superusers only: global tables (groups, login attempts, schedules)
    if label in ADMIN_ONLY:
        return Role.ADMINISTRATOR
    return Role.ADMINISTRATOR if action == "delete" else Role.OFFICER


def has_right(user_key: str, entry: Entry, target: Target) -> bool:
    if target.owner == "escalation":
        return False
    if user_key == "inactive":
        return False
    role = required_role(entry, target)
    if role == "self":
        return True
    if user_key == "noscope" or role is None:
        return False
    if user_key != "province_viewer" and target.owner not in ("a", None):
        return False  # B's or the province's record: an A user reads at most
    return ROLE_RANK[ROLES[user_key]] >= ROLE_RANK[role]


# --- requests ----------------------------------------------------------------------------

LOGIN_PATHS = (settings.LOGIN_URL, "/accounts/login/", "/admin/login/")


class Requester:
    """One logged-in client per user; every request in a savepoint rolled back after."""

    def __init__(self, w):
        self.w = w
        self.clients = {}
        self.count = 0
        self.superuser_pages = {}

    def client(self, user_key):
        if user_key not in self.clients:
            client = Client(raise_request_exception=False)
            client.force_login(getattr(self.w.users, user_key))
            self.clients[user_key] = client
        return self.clients[user_key]

    def _request(self, user_key, method, url, data=None):
        client = self.client(user_key)
        cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
        saved = cookie.value if cookie else None
        with transaction.atomic():
            response = client.get(url) if method == "get" else client.post(url, data or {})
            self.count += 1
            text = response_text(response) if response.status_code < 300 else ""
            transaction.set_rollback(True)
        if saved is not None:
            client.cookies[settings.SESSION_COOKIE_NAME] = saved
        return response, text

    def get(self, user_key, url, hops=3):
        """(first response, final response, texts of every response)."""
        first, text = self._request(user_key, "get", url)
        response, texts = first, [text]
        while response.status_code in (301, 302, 303, 307, 308) and hops:
            location = response["Location"]
            if is_login(location) or location.startswith("http"):
                break
            response, text = self._request(user_key, "get", location)
            texts.append(text)
            hops -= 1
        return first, response, texts

    def post_changes(self, user_key, url, data):
        """(response, changed tables) for a POST, rolled back afterwards.

        The table fingerprints are compared whenever the POST issued a write statement
        on a fingerprinted table (a POST that wrote nothing cannot have changed a row).
        """
        client = self.client(user_key)
        cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
        saved = cookie.value if cookie else None
        with transaction.atomic():
            connection.queries_log.clear()  # a full log would capture nothing
            with CaptureQueriesContext(connection) as queries:
                if url.startswith("/api/"):
                    response = client.post(url, data, content_type="application/json")
                else:
                    response = client.post(url, data)
            self.count += 1
            captured = queries.captured_queries
            wrote = len(connection.queries_log) >= connection.queries_log.maxlen or any(
                writes_fingerprinted(q["sql"]) for q in captured
            )
            if connection.needs_rollback:
                # a database error the view swallowed: it tried to write something
                changed = ["<database error: the transaction was broken>"]
            elif not wrote:
                changed = []
            else:
                try:
                    with transaction.atomic():
                        changed = changed_tables(self.baseline, fingerprint())
                except (DatabaseError, TransactionManagementError):
                    changed = ["<database error: the transaction was broken>"]
            transaction.set_rollback(True)
        if saved is not None:
            client.cookies[settings.SESSION_COOKIE_NAME] = saved
        return response, changed


_TABLES = None


def writes_fingerprinted(sql: str) -> bool:
    global _TABLES
    if _TABLES is None:
        _TABLES = [m._meta.db_table for m in fingerprinted_models()]
    head = sql.lstrip()[:7].upper()
    if not head.startswith(("INSERT", "UPDATE", "DELETE")):
        return False
    first = sql[:200]
    return any(f'"{t}"' in first or f" {t} " in first for t in _TABLES)


def is_login(location: str) -> bool:
    path = location.split("?")[0]
    return any(path.endswith(p) or p in path for p in ("/accounts/login/", "/admin/login/"))


def leaked_canaries(w, texts) -> list[str]:
    found = []
    for text in texts:
        text = text.replace("Atlantic/Canary", "Atlantic/…")  # a time zone, not a canary
        for canary, what in w.canaries.items():
            if canary in text and f"{canary} ({what})" not in found:
                found.append(f"{canary} ({what})")
        if CANARY_WORD in text and not any(c in text for c in w.canaries):
            at = text.index(CANARY_WORD)
            found.append(f"partial canary …{text[max(0, at - 20) : at + 40]!r}…")
    return found


# --- the world, once per module -------------------------------------------------------------


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker):
    quiet = [logging.getLogger(name) for name in ("django.request", "axes", "django.security")]
    levels = [logger.level for logger in quiet]
    for logger in quiet:
        logger.setLevel(logging.CRITICAL)
    with django_db_blocker.unblock():
        from config.celery import app

        app.conf.task_always_eager = True
        with transaction.atomic():
            w = build_world()
            entries = walk_urlconf()
            requester = Requester(w)
            for user_key in (*GET_USERS, *POST_USERS, "superuser"):
                requester.client(user_key)  # sessions outside the tests' own savepoints
            requester.baseline = fingerprint()
            yield w, entries, requester
            transaction.set_rollback(True)
    for logger, level in zip(quiet, levels, strict=True):
        logger.setLevel(level)


def known_targets(w, entries):
    unknown, targets = [], {}
    for entry in entries:
        try:
            targets[entry.key] = get_targets(w, entry)
        except UnknownPattern as error:
            unknown.append(str(error))
    return unknown, targets


# --- the tests ------------------------------------------------------------------------------


def test_every_url_pattern_is_known(matrix):
    w, entries, _ = matrix
    unknown, targets = known_targets(w, entries)
    assert not unknown, "URL patterns the access matrix cannot fill:\n" + "\n".join(unknown)
    keys = [e.key for e in entries]
    assert len(keys) == len(set(keys)), "two URL patterns share a key"
    assert set(EXEMPT) <= set(keys), f"stale exemptions: {set(EXEMPT) - set(keys)}"
    empty = [k for k, t in targets.items() if not t and k not in EXEMPT]
    assert not empty, f"patterns filled with no URL: {empty}"


def test_superuser_reaches_every_filled_url(matrix):
    """The fillers make real URLs: a superuser gets no 404 (and no 500)."""
    w, entries, requester = matrix
    unknown, targets = known_targets(w, entries)
    assert not unknown, "\n".join(unknown)
    failures = []
    for key, items in targets.items():
        for t in items:
            first, final, _texts = requester.get("superuser", t.url)
            requester.superuser_pages[t.url] = final  # the POST matrix reads its forms
            to_login = first.status_code == 302 and is_login(first["Location"])
            if to_login or {first.status_code, final.status_code} & {404, 500}:
                failures.append(
                    f"{key} {t.url}: superuser gets {first.status_code} → {final.status_code}"
                )
    assert not failures, "\n".join(failures)


def test_get_matrix_shows_nothing_out_of_scope(matrix):
    w, entries, requester = matrix
    unknown, targets = known_targets(w, entries)
    started, count0 = time.monotonic(), requester.count
    failures = []
    statuses = {}
    for key, items in targets.items():
        for user_key in GET_USERS:
            for i, t in enumerate(items):
                first, final, texts = requester.get(user_key, t.url)
                location = first.get("Location", "")
                statuses[(key, user_key, t.side, i)] = (
                    first.status_code,
                    location,
                    final.status_code,
                )
                where = f"{key} {t.url} [{t.side or '-'}{(' ' + t.label) if t.label else ''}]"
                who = f"as {user_key}"
                if final.status_code >= 500 or first.status_code >= 500:
                    failures.append(f"{where} {who}: {first.status_code}/{final.status_code}")
                if user_key in CANARY_CHECKED:
                    leaked = leaked_canaries(w, texts)
                    if leaked:
                        failures.append(
                            f"{where} {who}: {final.status_code} shows {'; '.join(leaked)}"
                        )
    # Out-of-scope objects: 404 (403 only if the user gets 403 for A's object too).
    a_status = defaultdict(set)
    for (key, user_key, side, _i), (_s, _l, status) in statuses.items():
        if side == "a":
            a_status[(key, user_key)].add(status)
    for key, items in targets.items():
        for i, t in enumerate(items):
            if not t.scoped or t.side is None:
                continue
            for user_key in CANARY_CHECKED:
                out_of_scope = t.side == "b" or user_key == "noscope"
                if not out_of_scope:
                    continue
                first_status, location, status = statuses[(key, user_key, t.side, i)]
                ok = status in (404, 405)
                if user_key == "inactive" and t.url.startswith("/api/"):
                    ok = first_status == 401  # no session: the API asks for credentials
                elif user_key == "inactive":
                    ok = first_status == 302 and is_login(location)
                elif status == 403:
                    ok = a_status[(key, user_key)] == {403} or user_key == "noscope"
                if t.no_redirect and user_key != "inactive" and 300 <= first_status < 400:
                    ok = False
                if not ok:
                    shown = f"{first_status}" + (f"→{status}" if status != first_status else "")
                    failures.append(
                        f"{key} {t.url} [{t.side} {t.label}] as {user_key}: out of scope "
                        f"answers {shown} (expected 404)"
                    )
    elapsed = time.monotonic() - started
    print(f"\nGET matrix: {requester.count - count0} requests in {elapsed:.1f}s")
    assert not failures, f"{len(failures)} GET failures:\n" + "\n".join(sorted(set(failures)))


def scraped_payload(requester, cache, entry, t) -> dict:
    """The superuser's page's POST form, with one text field edited and the side's keys."""
    if t.kind == "api-create":
        return api_create_payload(t.label, side_values(requester.w, t.side))
    if t.kind == "api-action":
        return dict(t.data)
    if t.kind == "delete":
        return {"post": "yes"}
    if t.kind == "action":
        return {
            "action": t.action,
            "_selected_action": [t.selected],
            "index": 0,
            "post": "yes",
            "confirm": "1",
            "reason": "Không thực hiện nữa",
        }
    if t.url not in cache:
        if t.url not in requester.superuser_pages:
            _first, final, _ = requester.get("superuser", t.url)
            requester.superuser_pages[t.url] = final
        final = requester.superuser_pages[t.url]
        page = final.content.decode("utf-8", "replace") if final.status_code == 200 else ""
        cache[t.url] = post_form_of(page)
    form = cache[t.url]
    data: dict[str, list] = defaultdict(list)
    if form is not None:
        for name, value in form.fields:
            if name != "csrfmiddlewaretoken":
                data[name].append(value)
    data = {k: (v if len(v) > 1 else v[0]) for k, v in data.items()}
    if t.kind == "create":
        data.update(create_defaults(data, form.selects if form else {}))
        values = side_values(requester.w, t.side)
        for name in list(data) + list(values):
            base = name.rsplit("-", 1)[-1]
            if base in values and (name in data or "-" not in name):
                data[name] = values[base]
        if entry.key in CREATE_DATA:
            data.update(CREATE_DATA[entry.key](values))
    elif t.owner != "escalation":
        for name in (
            "note",
            "notes",
            "title",
            "name",
            "text",
            "opinion_text",
            "basis",
            "first_name",
            "description",
            "programme",
            "message",
            "institution",
        ):
            if isinstance(data.get(name), str):
                data[name] = data[name] + " (sửa)"
                break  # fmt: skip
    data.update(t.data)
    return data


_seq = itertools.count(1)

# Create forms whose side is not in their own fields: the side's unit goes in an inline.
CREATE_DATA = {
    "admin:personnel_official_add": lambda v: {
        "postings-TOTAL_FORMS": "1",
        "postings-INITIAL_FORMS": "0",
        "postings-0-title": "Chuyên viên",
        "postings-0-org_unit": v["org_unit"],
        "postings-0-start_date": "2024-01-01",
        "postings-0-is_primary": "on",
    },
    "admin:personnel_posting_add": lambda v: {"position": "", "start_date": "2030-01-01"},
}


def create_defaults(data: dict, selects: dict) -> dict:
    """Plausible values for the empty required fields of a create form."""
    n = next(_seq)
    fill = {
        "code": f"MX{n:04d}",
        "number": f"{n}-QĐ/MX",
        "full_name": "Mẫu Người Mới",
        "name": f"Mẫu tên {n}",
        "title": "Mẫu tiêu đề",
        "username": f"new_user_{n}",
        "password1": "Mat-khau-moi-12345",
        "password2": "Mat-khau-moi-12345",
        "programme": "Mẫu chương trình",
        "term": "2025-2030",
        "year": "2024",
        "gender": "male",
        "date_of_birth": "1980-01-01",
        "start_date": "2024-01-01",
        "effective_on": "2031-01-01",
        "date_from": "2024-01-01",
        "date_to": "2024-12-31",
        "rating": "good",
        "period": "annual",
        "minute": "0",
        "hour": "7",
        "task": "reports.tasks.send_subscription",
    }
    out = {}
    for name, value in data.items():
        base = name.rsplit("-", 1)[-1]
        if value not in ("", None) or "__prefix__" in name:
            continue
        if fill.get(base):
            out[name] = fill[base]
        elif name in selects and "-" not in name:
            options = [v for v in selects[name] if v]
            if options:
                out[name] = options[0]
    return out


def test_post_matrix_changes_nothing_without_the_right(matrix):
    w, entries, requester = matrix
    unknown, _ = known_targets(w, entries)
    assert not unknown, "\n".join(unknown)
    started, count0 = time.monotonic(), requester.count
    intact = changed_tables(requester.baseline, fingerprint())
    assert not intact, f"the world changed before the POST matrix: {intact}"
    cache: dict = {}
    failures, weak = [], []
    n_posts = 0
    for entry in entries:
        for t in post_targets(w, entry):
            data = scraped_payload(requester, cache, entry, t)
            users = t.users or POST_USERS
            if t.users is None and entry.key in APPROVAL_KEYS:
                users = (*users, "approver_a", "province_viewer")
            posting = [u for u in users if not has_right(u, entry, t)]
            if not posting:
                continue
            # The payload is plausible: the same POST by a superuser changes something.
            if t.owner != "escalation":
                response, changed = requester.post_changes("superuser", t.url, data)
                if not changed:
                    weak.append(f"{entry.key} {t.url} [{t.side} {t.action or t.kind}] "
                                f"→ {response.status_code} {response.get('Location', '')}")  # fmt: skip
            for user_key in posting:
                response, changed = requester.post_changes(user_key, t.url, data)
                n_posts += 1
                where = f"{entry.key} POST {t.url} [{t.side or '-'} {t.action or t.kind}]"
                if response.status_code >= 500:
                    failures.append(f"{where} as {user_key}: {response.status_code}")
                if changed:
                    failures.append(
                        f"{where} as {user_key}: {response.status_code} and changed "
                        f"{', '.join(changed)}"
                    )
    intact = changed_tables(requester.baseline, fingerprint())
    assert not intact, f"the matrix itself changed the world: {intact}"
    elapsed = time.monotonic() - started
    print(
        f"\nPOST matrix: {n_posts} unauthorized POSTs, {requester.count - count0} requests "
        f"in {elapsed:.1f}s; {len(weak)} payloads a superuser could not apply either:\n  "
        + "\n  ".join(weak)
    )
    assert not failures, f"{len(failures)} POST failures:\n" + "\n".join(failures)


def test_matrix_world_is_planted(matrix):
    """Sanity of the fixture: the canaries are where the matrix looks for them."""
    w, _entries, requester = matrix
    assert len(w.canaries) >= 15
    _first, final, texts = requester.get(
        "superuser", reverse("official_detail", args=[w.officials.b1.pk])
    )
    assert final.status_code == 200 and "Canary Nguyễn Bí Mật B" in texts[-1]
    _first, final, texts = requester.get(
        "superuser", reverse("report_run_download", args=[w.runs.b.pk, "xlsx"])
    )
    assert final.status_code == 200 and "Canary Dòng Báo Cáo B" in texts[-1]
    assert w.decisions.mixed.movements.count() == 3
