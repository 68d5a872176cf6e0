from django.urls import path

from . import views

app_name = "commitments"

urlpatterns = [
    path("", views.home, name="home"),
    path("plans/<str:code>/", views.plan_detail, name="plan_detail"),
]
