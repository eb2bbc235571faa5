from django.urls import path

app_name = "carriers"

urlpatterns = []
