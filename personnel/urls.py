from .views import officials, units

urlpatterns = [*officials.urlpatterns, *units.urlpatterns]
