from .views import export_jobs, imports, official_records, officials, units

urlpatterns = [
    *officials.urlpatterns,
    *export_jobs.urlpatterns,
    *official_records.urlpatterns,
    *units.urlpatterns,
    *imports.urlpatterns,
]
