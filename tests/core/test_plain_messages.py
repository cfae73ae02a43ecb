"""Our own plain sentences replace Django's default form messages (no database)."""

from __future__ import annotations

import importlib
import pkgutil
import sys

from django import forms

import secondopinion
from secondopinion.core.forms import PlainFormSet, PlainMessages

DJANGO_DEFAULTS = (
    "This field is required.",
    "Enter a valid date.",
    "Enter a whole number.",
    "Ensure this value",
    "Select a valid choice.",
    "Enter a valid email address.",
    "Enter a valid URL.",
    "Enter a list of values.",
    "No file was submitted",
    "Please submit at least",
)


class Sample(PlainMessages, forms.Form):
    name = forms.CharField(max_length=5)
    days = forms.IntegerField(min_value=1, max_value=365)
    when = forms.DateField()
    at = forms.DateTimeField(required=False)
    email = forms.EmailField(required=False)
    link = forms.URLField(required=False)
    colour = forms.ChoiceField(choices=[("red", "Red")], required=False)
    colours = forms.MultipleChoiceField(choices=[("red", "Red")], required=False)
    agree = forms.BooleanField()
    own = forms.CharField(error_messages={"required": "Tell us your own thing."})


def errors(data: dict[str, object]) -> dict[str, list[str]]:
    form = Sample(data)
    assert not form.is_valid()
    return {k: [str(m) for m in v] for k, v in form.errors.items()}


def assert_no_default(found: dict[str, list[str]]) -> None:
    text = " ".join(m for msgs in found.values() for m in msgs)
    for default in DJANGO_DEFAULTS:
        assert default not in text, text


def test_empty_form_says_what_is_missing_in_our_words() -> None:
    found = errors({})
    assert found["name"] == ["Please fill this in."]
    assert found["days"] == ["Please fill this in."]
    assert found["when"] == ["Please give a date."]
    assert found["agree"] == ["Please tick this box to go on."]
    assert found["own"] == ["Tell us your own thing."]  # a form's own message is kept
    assert_no_default(found)


def test_bad_values_get_our_sentences() -> None:
    found = errors(
        {
            "name": "too long",
            "days": "0",
            "when": "31/31/2020",
            "at": "soon",
            "email": "not-an-address",
            "link": "nowhere",
            "colour": "blue",
            "colours": ["blue"],
        }
    )
    assert found["name"] == ["Please keep this to 5 characters or fewer (it has 8)."]
    assert found["days"] == ["Please give a number of 1 or more."]
    assert found["when"] == ["This is not a date we can read. Please give the day, month and year."]
    assert found["at"][0].startswith("This is not a date and time we can read.")
    assert found["email"] == ["Please give an e-mail address, such as name@example.com."]
    assert found["link"] == ["Please give a full web address that starts with https://."]
    assert found["colour"] == ["Please choose one of the options shown."]
    assert found["colours"] == ["Please choose from the options shown."]
    assert_no_default(found)


def test_too_big_and_not_a_number() -> None:
    assert errors({"days": "366"})["days"] == ["Please give a number of 365 or less."]
    assert errors({"days": "many"})["days"] == ["Please give a whole number, such as 30."]


def test_the_class_default_messages_are_left_alone() -> None:
    """Only each form's own copy of a field changes; Django's field classes keep their defaults."""
    Sample({}).is_valid()
    assert str(forms.Field.default_error_messages["required"]) == "This field is required."
    assert (
        "required" not in Sample.base_fields["name"].error_messages
        or str(Sample.base_fields["name"].error_messages["required"]) == "This field is required."
    )


def test_formset_errors_are_plain() -> None:
    class Row(PlainMessages, forms.Form):
        text = forms.CharField()

    RowSet = forms.formset_factory(Row, formset=PlainFormSet, extra=0, min_num=2, validate_min=True)
    data = {"form-TOTAL_FORMS": "0", "form-INITIAL_FORMS": "0"}
    formset = RowSet(data)
    assert not formset.is_valid()
    assert [str(e) for e in formset.non_form_errors()] == ["Please give at least 2."]
    broken = forms.formset_factory(Row, formset=PlainFormSet, extra=0)({})
    assert not broken.is_valid()
    assert [str(e) for e in broken.non_form_errors()] == [
        "This page was out of date. Please reload it and try again."
    ]


def _project_form_classes() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(secondopinion.__path__, "secondopinion."):
        name = module.name
        if ".migrations" in name or ".management" in name or name.endswith(("cli", "wsgi", "asgi")):
            continue
        importlib.import_module(name)
    found: list[type[forms.BaseForm]] = []
    stack = list(forms.BaseForm.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls.__module__.startswith("secondopinion.") and cls is not PlainMessages:
            found.append(cls)
    return found


def test_every_form_of_the_product_uses_our_messages() -> None:
    classes = _project_form_classes()
    assert len(classes) > 20  # the walk found the forms (a broken walk would pass vacuously)
    missing = sorted(f"{c.__module__}.{c.__qualname__}" for c in classes if not issubclass(c, PlainMessages))
    assert not missing, f"mix PlainMessages (secondopinion.core.forms) into: {missing}"


def test_every_formset_of_the_product_uses_our_messages() -> None:
    _project_form_classes()  # imports every module of the product
    formsets = {
        f"{module_name}.{name}": value
        for module_name, module in list(sys.modules.items())
        if module_name.startswith("secondopinion.")
        for name, value in vars(module).items()
        if isinstance(value, type) and issubclass(value, forms.BaseFormSet)
    }
    assert "secondopinion.consults.forms.SlotFormSet" in formsets
    missing = sorted(name for name, cls in formsets.items() if not issubclass(cls, PlainFormSet))
    assert not missing, f"build these with formset=PlainFormSet (secondopinion.core.forms): {missing}"
