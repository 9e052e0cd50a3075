from django.urls import path

from trusts import views

app_name = "trusts"

urlpatterns = [
    path("trusts/", views.trust_list, name="trust_list"),
    path("trusts/<int:pk>/", views.trust_detail, name="trust_detail"),
    path("academies/", views.academy_list, name="academy_list"),
    path("academies/<int:urn>/", views.academy_detail, name="academy_detail"),
]
