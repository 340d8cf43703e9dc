from django.urls import path

from . import views_actions as actions
from . import views_decisions as decisions
from . import views_movements as movements
from . import views_reorganisations as reorganisations

urlpatterns = [
    path("decisions/", decisions.DecisionListView.as_view(), name="decision_list"),
    path("decisions/new/", decisions.DecisionCreateView.as_view(), name="decision_create"),
    path("decisions/export/", decisions.DecisionExportView.as_view(), name="decision_export"),
    path("decisions/<int:pk>/", decisions.DecisionDetailView.as_view(), name="decision_detail"),
    path(
        "decisions/<int:pk>/edit/", decisions.DecisionUpdateView.as_view(), name="decision_update"
    ),
    # Movements of a draft decision.
    path(
        "decisions/<int:pk>/movements/new/",
        movements.MovementAddView.as_view(),
        name="movement_add",
    ),
    path(
        "decisions/<int:pk>/movements/check/",
        movements.MovementCheckView.as_view(),
        name="movement_check",
    ),
    path(
        "decisions/<int:pk>/movements/<int:mpk>/edit/",
        movements.MovementUpdateView.as_view(),
        name="movement_update",
    ),
    path(
        "decisions/<int:pk>/movements/<int:mpk>/check/",
        movements.MovementCheckView.as_view(),
        name="movement_check_existing",
    ),
    path(
        "decisions/<int:pk>/movements/<int:mpk>/remove/",
        movements.MovementRemoveView.as_view(),
        name="movement_remove",
    ),
    # Workflow actions.
    path(
        "decisions/<int:pk>/consult/",
        actions.RequestConsultationsView.as_view(),
        name="decision_request_consultations",
    ),
    path("decisions/<int:pk>/approve/", actions.ApproveView.as_view(), name="decision_approve"),
    path("decisions/<int:pk>/apply/", actions.ApplyView.as_view(), name="decision_apply"),
    path("decisions/<int:pk>/cancel/", actions.CancelView.as_view(), name="decision_cancel"),
    # Reorganisations (administrators).
    path(
        "reorganisations/",
        reorganisations.ReorganisationListView.as_view(),
        name="reorganisation_list",
    ),
    path(
        "reorganisations/new/",
        reorganisations.ReorganisationFormView.as_view(),
        name="reorganisation_create",
    ),
    path(
        "reorganisations/<int:pk>/",
        reorganisations.ReorganisationDetailView.as_view(),
        name="reorganisation_detail",
    ),
    path(
        "reorganisations/<int:pk>/edit/",
        reorganisations.ReorganisationFormView.as_view(),
        name="reorganisation_update",
    ),
    path(
        "reorganisations/<int:pk>/apply/",
        reorganisations.ReorganisationApplyView.as_view(),
        name="reorganisation_apply",
    ),
    path(
        "consultations/<int:pk>/answer/",
        actions.ConsultationAnswerView.as_view(),
        name="consultation_answer",
    ),
]
