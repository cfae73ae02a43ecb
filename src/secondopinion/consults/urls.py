
app_name = "consults"
urlpatterns: list = []  # filled in by the consult-request pages
