"""The survey pages, in the `impact:` namespace (mounted under /impact/)."""

from django.urls import path

from impact.surveys import views

urlpatterns = [
    path("surveys/", views.survey_list, name="survey_list"),
    path("surveys/new/", views.survey_create, name="survey_create"),
    path("surveys/mine/", views.my_surveys, name="my_surveys"),
    path("surveys/mine/<int:pk>/", views.answer_mine, name="answer_mine"),
    path("surveys/<int:pk>/", views.survey_builder, name="survey_builder"),
    path("surveys/<int:pk>/settings/", views.survey_settings, name="survey_settings"),
    path("surveys/<int:pk>/status/", views.survey_status, name="survey_status"),
    path("surveys/<int:pk>/sections/", views.section_add, name="section_add"),
    path("surveys/<int:pk>/questions/new/", views.question_add, name="question_add"),
    path("surveys/<int:pk>/preview/", views.survey_preview, name="survey_preview"),
    path("surveys/<int:pk>/dispatch/", views.survey_dispatch, name="survey_dispatch"),
    path("surveys/<int:pk>/results/", views.survey_results, name="survey_results"),
    path("surveys/<int:pk>/results.csv", views.survey_results_csv, name="survey_results_csv"),
    path("surveys/<int:pk>/written-answers.csv", views.survey_text_csv, name="survey_text_csv"),
    path("surveys/sections/<int:pk>/move/", views.section_move, name="section_move"),
    path("surveys/questions/<int:pk>/", views.question_edit, name="question_edit"),
    path("surveys/questions/<int:pk>/move/", views.question_move, name="question_move"),
    path("surveys/questions/<int:pk>/delete/", views.question_delete, name="question_delete"),
    path("surveys/questions/<int:pk>/archive/", views.question_archive, name="question_archive"),
    # The emailed link: no sign-in; the signed token is the key.
    path("s/<str:token>/", views.answer_by_link, name="answer_by_link"),
]
