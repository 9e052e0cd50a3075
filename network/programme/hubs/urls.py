from django.urls import path

from network.programme.hubs import views

urlpatterns = [
    path("hubs/", views.hub_list, name="hub_list"),
    path("hubs/propose/", views.cluster_propose, name="cluster_propose"),
    path("hubs/<int:pk>/", views.hub_detail, name="hub_detail"),
    path("hubs/<int:pk>/join/", views.hub_join, name="hub_join"),
    path("hubs/<int:pk>/approve/", views.cluster_approve, name="cluster_approve"),
    path("hubs/<int:pk>/resources/", views.hub_resource_add, name="hub_resource_add"),
    path("hubs/<int:pk>/meetings/<int:event_id>/", views.hub_meeting_notes, name="hub_meeting_notes"),
    path("hubs/members/<int:pk>/decide/", views.hub_join_decide, name="hub_join_decide"),
    path("hubs/resources/<int:pk>/", views.hub_resource_download, name="hub_resource_download"),
]
