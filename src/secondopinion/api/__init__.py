"""The JSON API: `setup.api` mounts every app's router; only config/urls.py imports it."""
