
app_name = "opinions"
urlpatterns: list = []  # filled in by the opinion pages
