"""What the directory tells apps above it, without knowing them."""

from django.dispatch import Signal

# A verified consultant saved their directory profile: sent with `user`, `practitioner` and `data` (the
# form's cleaned data), inside the saving transaction.
profile_saved = Signal()
