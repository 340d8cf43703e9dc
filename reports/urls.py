from django.urls import path

from . import views, views_alerts, views_runs, views_subscriptions

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("reports/", views_runs.ReportCatalogueView.as_view(), name="report_catalogue"),
    path(
        "reports/runs/<int:pk>/",
        views_runs.ReportRunDetailView.as_view(),
        name="report_run_detail",
    ),
    path(
        "reports/runs/<int:pk>/people/",
        views_runs.ReportRunPeopleView.as_view(),
        name="report_run_people",
    ),
    path(
        "reports/runs/<int:pk>/download/<str:fmt>/",
        views_runs.ReportRunDownloadView.as_view(),
        name="report_run_download",
    ),
    path("reports/<slug:code>/", views_runs.ReportRunView.as_view(), name="report_run"),
    path(
        "subscriptions/",
        views_subscriptions.SubscriptionListView.as_view(),
        name="subscription_list",
    ),
    path(
        "subscriptions/new/",
        views_subscriptions.SubscriptionCreateView.as_view(),
        name="subscription_create",
    ),
    path(
        "subscriptions/<int:pk>/edit/",
        views_subscriptions.SubscriptionUpdateView.as_view(),
        name="subscription_update",
    ),
    path(
        "subscriptions/<int:pk>/toggle/",
        views_subscriptions.SubscriptionToggleView.as_view(),
        name="subscription_toggle",
    ),
    path(
        "subscriptions/<int:pk>/send/",
        views_subscriptions.SubscriptionSendView.as_view(),
        name="subscription_send",
    ),
    path("alerts/", views_alerts.AlertListView.as_view(), name="alert_list"),
    path("alerts/<int:pk>/resolve/", views_alerts.AlertResolveView.as_view(), name="alert_resolve"),
]
