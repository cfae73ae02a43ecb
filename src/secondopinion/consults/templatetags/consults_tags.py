from django import template

register = template.Library()


@register.inclusion_tag("consults/partials/case_requests.html", takes_context=True)
def case_requests(context: dict, case: object) -> dict:
    """The case page's "Second opinions" section (requests of this case the viewer may see)."""
    return {"case": case, "request": context.get("request")}
