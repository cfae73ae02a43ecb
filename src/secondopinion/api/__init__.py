from secondopinion.api.setup import api

__all__ = ["api"]
