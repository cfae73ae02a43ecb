"""Demo data, composed above every app: each app's loader fills its own tables, this app calls them in
order and joins what crosses apps (the demo program runs at the demo center)."""
