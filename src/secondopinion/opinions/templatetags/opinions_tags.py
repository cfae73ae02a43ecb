from django import template

register = template.Library()


@register.inclusion_tag("opinions/partials/case_opinions.html", takes_context=True)
def case_opinions(context: dict, case: object) -> dict:
    """The case page's opinions and comparison section."""
    return {"case": case, "request": context.get("request")}
