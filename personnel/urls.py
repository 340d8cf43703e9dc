from .views import imports, official_records, officials, units

urlpatterns = [
    *officials.urlpatterns,
    *official_records.urlpatterns,
    *units.urlpatterns,
    *imports.urlpatterns,
]
